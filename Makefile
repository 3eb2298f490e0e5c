# Thin wrapper over CMake for the README's commands.
#   make run     install dependencies, build, run 'gandyn reproduce' (the
#                seed's claims checked, a report in gandyn-report/)
#   make test    install dependencies, build, run every test, then again
#                under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   benchmarks against scipy (bench/README.md)
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
JOBS   ?= 2
BUILD  ?= build
ASAN   ?= build-asan
REPORT ?= gandyn-report

.PHONY: all deps build run test test-asan bench install clean

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

test-asan: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DGANDYN_SANITIZE=ON \
	  -DGANDYN_WERROR=ON > /dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS)

bench: deps
	bash bench/run.sh

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) build-bench $(REPORT)
