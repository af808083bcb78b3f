# The two commands of the README, plus a few helpers.
#   make run   set up what is missing, then start the QBO sandbox and Odoo with the addon
#   make test  lint, Odoo-free tests, Odoo tests (when Odoo 19 is found), summary
#   make bench benchmarks against QBO's limits (figures in readme/PERFORMANCE.md)
#   make soak  real processes: multi-worker Odoo, concurrent clients, hostile sandbox (readme/DEVELOP.md)
.PHONY: run stop test lint readme bench soak

run:
	@bash scripts/run.sh

stop:
	@bash scripts/stop.sh

test:
	@bash scripts/test.sh

lint:
	@bash scripts/lint.sh

readme:
	@bash scripts/gen_readme.sh

bench:
	@bash bench/run.sh

soak:
	@bash soak/run.sh
