// The arithmetic of one judge-evaluator ATTACH evaluation (attach_evaluation_work): the
// statements and rows 1.23.10's re_evaluate_did issues, counted line by line in
// daemon_judge_evaluator.cpp. rule_work(f) = 3 f + 4 statements and 3 f rows (rules.cpp).
#include <catch2/catch.hpp>

#include "models/rucio/daemon_plans.hpp"

using dlsim::models::rucio::attach_evaluation_work;

TEST_CASE("An ATTACH whose new children were already evaluated only reads and deletes") {
  // No new child (rule.py#L2565): the DID (1), its container and the container's own
  // parents (1 + 1 = 2), the children query (1), the UPDATED_COL_REP row (1), the commit
  // (1), delete_updated_did and its commit (2): 8 statements; rows: the DID and its parent.
  auto w = attach_evaluation_work(0, 1, 1);
  CHECK(w.statements == Approx(8));
  CHECK(w.rows == Approx(2));
}

TEST_CASE("New files under no rule: the rules query and one flag UPDATE per file") {
  // 25 new files, no rule: 8 + the rules query (1) + 25 UPDATEs = 34 statements;
  // rows: DID, parent and the 25 children = 27.
  auto w = attach_evaluation_work(25, 0, 1);
  CHECK(w.statements == Approx(34));
  CHECK(w.rows == Approx(27));
}

TEST_CASE("New files under two rules: chunked look-ups and each rule's application") {
  // 25 files, 2 rules, 1 parent: 34 statements as above, + locks and replicas in chunks of
  // 10 (2 × ⌈25/10⌉ = 6) + one expression parse per rule (2) = 42; per rule rule_work(25)
  // = 79 statements and 75 rows, + 8 statements (parse, 2 selector, 2 sibling, dataset
  // locks, history, rule) and 2 rows (sibling and its lock) = 87 statements, 77 rows.
  // Total: 42 + 2 × 87 = 216 statements; rows 27 + 2 (the rules) + 2 × 77 = 183.
  auto w = attach_evaluation_work(25, 2, 1);
  CHECK(w.statements == Approx(216));
  CHECK(w.rows == Approx(183));
}

TEST_CASE("A container has no parent: one ancestor query fewer") {
  // 10 new files (a dataset's), 1 rule, 0 parents: 1 + 1 + 1 + 1 + 1 + 2 = 7, + 1 + 10 =
  // 18, + 2 × 1 + 1 = 21, + rule_work(10) (34) + 8 = 63 statements; rows 1 + 10 + 1 + 30
  // + 2 = 44.
  auto w = attach_evaluation_work(10, 1, 0);
  CHECK(w.statements == Approx(63));
  CHECK(w.rows == Approx(44));
}
