// One plan function per daemon kind: what a cycle of that daemon fetches, holds, computes and
// writes (reference/rucio-daemons.md §4-8; rucio-1.23.md §2-7 for the FDR's version).
#pragma once

#include "models/rucio/daemon.hpp"

namespace dlsim::models::rucio {

Cycle plan_abacus_account(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_abacus_rse(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_abacus_collection_replica(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_conveyor_submitter(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_conveyor_poller(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_conveyor_finisher(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_hermes(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_judge_injector(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_judge_evaluator(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_judge_repairer(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_judge_cleaner(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_reaper(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_transmogrifier(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);
Cycle plan_undertaker(RucioWorld& w, const sim::ServiceSpec& s, const Worker& me);

// Rule application shared by the server (small rules) and judge-injector (large ones): locks
// and transfer requests for every file of the dataset not yet on the destination.
void apply_rule(RucioWorld& w, std::uint32_t rule_id);

}  // namespace dlsim::models::rucio
