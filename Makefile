# Thin wrapper over CMake for the README's commands.
#   make run     install dependencies, build, run 'gandyn reproduce' (the
#                seed's claims checked, a report in gandyn-report/)
#   make test    install dependencies, build, run every test, then again
#                under AddressSanitizer + UndefinedBehaviorSanitizer, then
#                the MPI build of sweeps with 2 ranks, then every fuzz
#                target for FUZZ_TEST_SECONDS (5) each
#   make fuzz    builds the libFuzzer targets (clang-14) and runs each for
#                FUZZ_SECONDS (60) from its seed corpus fuzz/corpus/NAME/
#   make bench   benchmarks against scipy (bench/README.md)
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
JOBS   ?= 2
BUILD  ?= build
ASAN   ?= build-asan
MPI    ?= build-mpi
REPORT ?= gandyn-report
FUZZ   ?= build-fuzz
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 5

.PHONY: all deps build run test test-asan test-mpi fuzz fuzz-build bench install clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DGANDYN_WERROR=ON \
	  -DCMAKE_INSTALL_PREFIX=$(PREFIX) > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/gandyn reproduce --out $(REPORT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory test-mpi
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_TEST_SECONDS)

test-asan: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DGANDYN_SANITIZE=ON \
	  -DGANDYN_WERROR=ON > /dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS)

test-mpi: deps
	@cmake -S . -B $(MPI) -DCMAKE_BUILD_TYPE=Release -DGANDYN_MPI=ON \
	  -DGANDYN_WERROR=ON > /dev/null
	@cmake --build $(MPI) -j $(JOBS) --target gandyn_cli
	cd $(MPI) && ctest --output-on-failure -R mpi_sweep

fuzz-build: deps
	@CC=$(FUZZ_CC) cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DGANDYN_FUZZ=ON -DGANDYN_TESTS=OFF > /dev/null
	@cmake --build $(FUZZ) -j $(JOBS) --target fuzz_all

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS)

bench: deps
	bash bench/run.sh

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) $(MPI) $(FUZZ) build-bench $(REPORT)
