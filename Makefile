# Thin wrapper over CMake for the README's commands.
#   make run     install dependencies, build, run 'gandyn reproduce' (the
#                seed's claims checked, a report in gandyn-report/)
#   make test    install dependencies, build, run every test, then again
#                under AddressSanitizer + UndefinedBehaviorSanitizer, then
#                the MPI build of sweeps with 2 ranks
#   make bench   benchmarks against scipy (bench/README.md)
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
JOBS   ?= 2
BUILD  ?= build
ASAN   ?= build-asan
MPI    ?= build-mpi
REPORT ?= gandyn-report

.PHONY: all deps build run test test-asan test-mpi bench install clean

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

bench: deps
	bash bench/run.sh

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) $(MPI) build-bench $(REPORT)
