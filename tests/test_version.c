/*
 * test_version.c - gdn_version() and the GDN_VERSION_* macros say the
 * project's version (CMake's PROJECT_VERSION, passed to this test as
 * GDN_TEST_PROJECT_VERSION: CMakeLists.txt reads it from gandyn/version.h,
 * so the three cannot drift apart).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gandyn.h"

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(gdn_version(), "0.1.0");
    assert_string_equal(gdn_version(), GDN_TEST_PROJECT_VERSION);
    assert_string_equal(GDN_VERSION_STRING, GDN_TEST_PROJECT_VERSION);
    char text[32];
    snprintf(text, sizeof text, "%d.%d.%d", GDN_VERSION_MAJOR,
             GDN_VERSION_MINOR, GDN_VERSION_PATCH);
    assert_string_equal(text, gdn_version());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
