# SPDX-License-Identifier: AGPL-3.0-or-later
# The two commands (see README.md):
#   make demo  — install what is missing, build, load the sample data, serve http://127.0.0.1:8080
#   make test  — install what is missing, build with sanitizers, run every test suite
# Other targets: make build, make fuzz, make bench, make clean.

PYTHON ?= /usr/bin/python3
DEMO_BUILD := build/demo
TEST_BUILD := build/test
FUZZ_BUILD := build/fuzz
DB ?= var/tandem.db
LISTEN ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: demo test build fuzz bench clean

build:
	@scripts/bootstrap demo
	@test -f $(DEMO_BUILD)/build.ninja || meson setup $(DEMO_BUILD) --buildtype=debugoptimized -Dtests=false >/dev/null
	@ninja -C $(DEMO_BUILD) >/dev/null

demo: build
	@mkdir -p var
	@$(DEMO_BUILD)/tandem migrate --db $(DB)
	@scripts/load-demo $(DEMO_BUILD)/tandem $(DB) --history
	@exec $(DEMO_BUILD)/tandem serve --db $(DB) --listen $(LISTEN)

test:
	@scripts/bootstrap test
	@test -f $(TEST_BUILD)/build.ninja || meson setup $(TEST_BUILD) -Darena_debug=true \
		-Db_sanitize=address,undefined -Dwerror=true >/dev/null
	@ninja -C $(TEST_BUILD) >/dev/null
	@$(PYTHON) tests/run $(TEST_BUILD)

fuzz:
	@scripts/bootstrap fuzz
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Dtests=false -Dc_args=-fsanitize=fuzzer-no-link \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(FUZZ_BUILD) >/dev/null
	@scripts/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench:
	@scripts/bootstrap bench
	@/usr/bin/python3 bench/run

clean:
	rm -rf build
