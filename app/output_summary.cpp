// summary.json `transfers` (docs/outputs.md): totals, queue wait, transfers per hour and, with
// transfers.fts, the FTS deployment.
#include "app/output.hpp"

namespace dlsim::sim {
namespace {
using nlohmann::ordered_json;

ordered_json fts_to_json(const FtsSummary& f) {
  ordered_json services = ordered_json::array();
  for (const auto& v : f.services) services.push_back(service_to_json(v));
  return ordered_json{{"deployment", f.deployment},
                      {"hosts_max", f.hosts_max},
                      {"slots_per_host", f.slots_per_host},
                      {"capacity_max", f.capacity_max},
                      {"running_max", f.running_max},
                      {"memory_bytes",
                       {{"pool", f.pool_memory_bytes},
                        {"server", f.server_memory_bytes},
                        {"rest", f.rest_memory_bytes},
                        {"monitoring", f.monitoring_memory_bytes},
                        {"for_transfers", f.memory_for_transfers_bytes},
                        {"url_copy_max", f.url_copy_memory_max_bytes}}},
                      {"rest_calls", f.rest_calls},
                      {"rest_calls_per_s_max", f.rest_calls_per_s_max},
                      {"rest_calls_unserved", f.rest_calls_unserved},
                      {"services", services}};
}

}  // namespace

ordered_json transfers_to_json(const TransferSummary& t, ordered_json links) {
  const QueueWaitSummary& w = t.queue_wait;
  ordered_json j{{"submitted", t.submitted},
                 {"done", t.done},
                 {"failed", t.failed},
                 {"bytes_done", t.bytes_done},
                 {"links", std::move(links)},
                 {"queue_wait",
                  {{"started", w.started},
                   {"mean_s", w.mean_s},
                   {"p50_s", w.p50_s},
                   {"p95_s", w.p95_s},
                   {"p99_s", w.p99_s},
                   {"max_s", w.max_s}}},
                 {"done_per_hour_mean", t.done_per_hour_mean},
                 {"done_per_hour_max", t.done_per_hour_max}};
  if (t.fts) j["fts"] = fts_to_json(*t.fts);
  return j;
}

}  // namespace dlsim::sim
