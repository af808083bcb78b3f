# The two commands of the README, plus a few helpers.
#   make run   set up what is missing, then start the QBO sandbox and Odoo with the addon
#   make test  lint, Odoo-free tests, Odoo tests (when Odoo 19 is found), summary
#   make bench benchmarks against QBO's limits (figures in readme/PERFORMANCE.md)
.PHONY: run stop test lint readme bench

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
