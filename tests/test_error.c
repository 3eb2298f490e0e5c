/*
 * test_error.c - error messages are one line whatever they quote (found by
 * fuzz/fuzz_spec.c: a SPEC holding a newline gave a two-line message).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gandyn/error.h"
#include "gandyn/spec.h"
#include "gandyn/system.h"

static void test_control_characters_print_as_question_marks(void **state)
{
    (void)state;
    gdn_error err;
    assert_int_equal(gdn_error_set(&err, GDN_EINVAL, "bad '%s'", "a\nb\rc\td\x7f"
                                   "\xc3\xa9"),
                     GDN_EINVAL);
    assert_int_equal(err.code, GDN_EINVAL);
    /* UTF-8 (bytes >= 0x80) is kept as it is */
    assert_string_equal(err.msg, "bad 'a?b?c?d?\xc3\xa9'");
}

static void test_spec_with_newline_gives_one_line(void **state)
{
    (void)state;
    gdn_system sys;
    gdn_error err;
    const char *regs[] = {"l2\nl2"};
    assert_int_equal(gdn_system_from_specs(&sys, 2, "nsgan", regs, 1, NULL,
                                           NULL, &err),
                     GDN_EINVAL);
    assert_null(strchr(err.msg, '\n'));
    assert_non_null(strstr(err.msg, "'l2?l2'"));
    assert_int_equal(gdn_system_from_specs(&sys, 2, "ns\ngan", NULL, 0, NULL,
                                           NULL, &err),
                     GDN_EINVAL);
    assert_null(strchr(err.msg, '\n'));
    assert_non_null(strstr(err.msg, "'ns?gan'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_characters_print_as_question_marks),
        cmocka_unit_test(test_spec_with_newline_gives_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
