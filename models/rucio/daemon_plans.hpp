// One plan function per daemon kind (one file each, daemon_<kind>.cpp): what a cycle of that
// daemon fetches, holds, computes and writes (rucio master lib/rucio/daemons/;
// rucio 1.23.10 lib/rucio/daemons/ for the FDR's version). Rule application (rules.cpp) is shared.
#pragma once

#include "models/rucio/daemon.hpp"

namespace dlsim::models::rucio {

// A transfer gets at most 4 attempts (retry_count < 3, rucio 1.23.10
// lib/rucio/core/request.py#L53-70).
inline constexpr int kMaxTransferAttempts = 4;

Cycle plan_abacus_account(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_abacus_rse(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
// (row, unique row) comparisons of the in-Python de-duplication of N rows with U keys.
double dedup_pair_count(double n, double u);
Cycle plan_abacus_collection_replica(RucioWorld& w, const scenario::ServiceSpec& s,
                                     const Worker& me);
Cycle plan_conveyor_submitter(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_conveyor_poller(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_conveyor_finisher(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_hermes(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_judge_injector(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_judge_evaluator(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_judge_repairer(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_judge_cleaner(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_reaper(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_transmogrifier(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);
Cycle plan_undertaker(RucioWorld& w, const scenario::ServiceSpec& s, const Worker& me);

// Files a rule covers (all datasets of its container for a container rule).
std::int64_t rule_files(RucioWorld& w, const Rule& rule);
// The work of resolving `files` files of a rule in one transaction.
Work rule_work(double files);
// Applies a new rule to every file it covers: locks and transfer requests.
void apply_rule(RucioWorld& w, std::uint32_t rule_id);
// The copies a multihop job left at an intermediate RSE (`copy.rse`): temporary replicas,
// tombstoned at once for the reaper (rucio 1.23.10 lib/rucio/daemons/conveyor/: intermediate
// requests and replicas). They take space on the RSE but are kept apart from the dataset's replicas
// there (rules never count them), as REPLICAS_TOMBSTONED rows with rule kTemporaryCopies.
void register_intermediate_copies(RucioWorld& w, const RowGroup& copy);
inline constexpr std::uint32_t kTemporaryCopies = 0xFFFFFFFF;
// Applies a rule to the files of a dataset it has not locked yet (a dataset just attached
// to the rule's container, or files just attached to a dataset the rule covers); returns
// the files newly locked.
std::int64_t apply_rule_to_new_dataset(RucioWorld& w, std::uint32_t rule_id,
                                       std::uint32_t dataset_id);

// UPDATED_DIDS rows: an ATTACH on the container of `dataset` (rule 0, the dataset was attached
// to its container) or, with rule kFilesAttached, an ATTACH on `dataset` itself (files were
// attached to it; one row per attach call, rucio 1.23.10 lib/rucio/core/did.py#L502-563).
inline constexpr std::uint32_t kFilesAttached = 0xFFFFFFFE;

// What one `re_evaluate_did` of an ATTACH costs judge-evaluator (rule.py#L1528-1566,
// #L2541-2720): `new_files` children resolved (the contents whose rule_evaluation flag is
// set), `rules` rules applied to them, `parents` ancestors of the DID.
Work attach_evaluation_work(double new_files, double rules, double parents);
// The judge-evaluator worker (rank among `count`) whose hash partition holds an UPDATED_DIDS
// row: 1.23.10 partitions on the DID's name (rule.py#L1585), so all rows of a DID go to one
// worker.
int judge_evaluator_owner(RucioWorld& w, const RowGroup& g, int count);

}  // namespace dlsim::models::rucio
