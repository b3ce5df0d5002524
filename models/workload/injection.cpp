#include "models/workload/injection.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "models/rucio/daemon_plans.hpp"
#include "scenario/rse_expression.hpp"
#include "sim/rng.hpp"

namespace dlsim::models::workload {
using rucio::RowGroup;
using rucio::Table;
using rucio::Work;

namespace {
// Rules whose file-copies reach this are left to judge-injector (rucio 1.23.10
// lib/rucio/core/rule.py#L310-312).
constexpr std::int64_t kInjectThreshold = 10'000;
// Expired rules and DIDs become visible to their daemons' queries within this period.
constexpr double kExpiryClock_s = 10;
// Auth tokens live 1 h (rucio 1.23.10 lib/rucio/db/sqla/models.py#L1206): a client asks for a new
// one every hour.
constexpr double kTokenLifetime_s = 3600;

Work statements_and_rows(double statements, double rows) {
  Work w;
  w.statements = statements;
  w.rows = rows;
  return w;
}
}  // namespace

Workload::Workload(rucio::RucioWorld& world, rucio::ServerPool& api, rucio::ServerPool& auth,
                   const scenario::Scenario& scenario)
    : world_(world), api_(api), auth_(auth), scenario_(scenario) {}

void Workload::start(sim::Host* client_host) {
  client_host_ = client_host;
  for (const auto& [name, spec] : scenario_.workload.injections) {
    sim::spawn("inject/" + name, client_host, [this, &spec = spec] { run_injection(spec); });
    spawn_upload_tokens(spec, spec.start_s, spec.end_s.value_or(scenario_.duration_s));
  }
  if (scenario_.workload.noise) {
    sim::spawn("noise", client_host, [this] { run_noise(*scenario_.workload.noise); });
    sim::spawn("token/noise", client_host, [this, start = scenario_.workload.noise->start_s] {
      run_tokens(start, scenario_.duration_s);
    });
  }
  for (const auto& [name, spec] : scenario_.workload.clients)
    for (int i = 0; i < spec.clients; ++i)
      sim::spawn(fmt::format("client/{}/{}", name, i), client_host,
                 [this, &spec = spec, i] { run_client(spec, i); });
  sim::spawn("expiry-clock", client_host, [this] { run_expiry_clock(); });
  for (const auto& [name, spec] : scenario_.workload.deletions)
    sim::spawn("delete/" + name, client_host, [this, &spec = spec] { run_deletion(spec); });
}

void Workload::spawn_upload_tokens(const scenario::InjectionSpec& spec, double start, double end) {
  // Every upload client holds its own token, from just before its first upload (dataset u
  // is due when its last file is: see run_injection).
  const double per_file =
      (end - start) / static_cast<double>(std::max<std::int64_t>(1, spec.files));
  for (int u = 0; u < spec.uploaders; ++u) {
    const auto due_files =
        std::min<std::int64_t>(spec.files, (u + 1) * std::int64_t{spec.files_per_dataset});
    const double first = start + per_file * static_cast<double>(due_files);
    sim::spawn(fmt::format("token/{}/{}", spec.name, u), client_host_,
               [this, first, end] { run_tokens(first, end); });
  }
}

void Workload::run_client(const scenario::ClientPopulationSpec& spec, int index) {
  auto& rng = world_.ctx.rng.stream(fmt::format("clients.{}.{}", spec.name, index));
  const double end = spec.end_s.value_or(scenario_.duration_s);
  const auto rows = static_cast<double>(spec.rows);
  // Per call: the token check and the query (get_did: one row); list calls join DIDs,
  // contents and replicas and stream one JSON line per row (rucio 1.23.10
  // lib/rucio/web/rest/replica.py#L160). A download lists the file's replicas (one file: 2 rows),
  // then reads it from an RSE.
  const Work call =
      spec.operation == scenario::ClientOperation::GetDid ? statements_and_rows(2, 1)
      : spec.operation == scenario::ClientOperation::Download
          ? statements_and_rows(3, 2)
          : statements_and_rows(
                3, spec.operation == scenario::ClientOperation::ListReplicas ? 2 * rows : rows);
  // Clients start spread over one think time, so that they do not call in lock-step.
  sim::sleep_until(spec.start_s + sim::uniform01(rng) * spec.interval_s);
  double token_at = -1;
  while (sim::now() < end) {
    if (sim::now() >= token_at && !auth_.empty()) {
      auth_.serve({"auth_token", statements_and_rows(3, 2), 0, 1});
      token_at = sim::now() + kTokenLifetime_s;
    }
    // A streamed list holds one row at a time in the worker.
    api_.serve({scenario::to_string(spec.operation), call, world_.cost.row_bytes, 1});
    if (spec.operation == scenario::ClientOperation::Download) download(spec.file_size_bytes, rng);
    sim::sleep_for(-std::log(1.0 - sim::uniform01(rng)) * spec.interval_s);
  }
}

void Workload::download(double bytes, std::mt19937_64& rng) {
  // From an RSE that holds files, chosen uniformly (Rucio's client sorts replicas by
  // distance to the client; the scenario knows no client sites); nothing to read yet: no read.
  std::vector<std::uint16_t> holding;
  for (std::uint16_t r = 0; r < world_.storage.size(); ++r)
    if (world_.storage.rse(r).files() > 0) holding.push_back(r);
  if (holding.empty()) return;
  auto& rse = world_.storage.rse(holding[sim::uniform_index(rng, holding.size())]);
  sim::copy_bytes(rse.host(), client_host_, bytes);
  rse.add_read(bytes);
}

void Workload::run_tokens(double first_s, double until_s) {
  if (auth_.empty()) return;
  sim::sleep_until(first_s);
  // X.509 token: account check, delete the account's expired tokens, insert the new one.
  while (sim::now() < until_s) {
    auth_.serve({"auth_token", statements_and_rows(3, 2), 0, 1});
    sim::sleep_for(kTokenLifetime_s);
  }
}

std::vector<std::uint16_t> Workload::pick_destinations(const scenario::RuleSpec& rule,
                                                       std::uint16_t origin,
                                                       std::mt19937_64& rng) const {
  const auto selected = scenario::resolve_rse_expression(rule.rse_expression, scenario_.rses);
  std::vector<std::uint16_t> candidates;
  for (const auto& name : selected) {
    auto idx = world_.storage.index_of(name);
    if (idx != origin) candidates.push_back(idx);
  }
  // The origin already holds a copy; it counts towards the rule's copies when selected.
  const bool origin_selected = candidates.size() < selected.size();
  const std::size_t wanted = static_cast<std::size_t>(rule.copies) - (origin_selected ? 1 : 0);
  // Rucio picks RSEs at random, weighted by free space by default; uniform here.
  for (std::size_t i = 0; i < candidates.size() && i < wanted; ++i) {
    std::size_t j = i + sim::uniform_index(rng, candidates.size() - i);
    std::swap(candidates[i], candidates[j]);
  }
  candidates.resize(std::min(wanted, candidates.size()));
  return candidates;
}

bool Workload::injected(const scenario::RuleSpec& spec, std::int64_t file_copies) {
  return spec.asynchronous || file_copies >= kInjectThreshold;
}

rucio::ApiCalls Workload::rule_call(const scenario::RuleSpec& spec,
                                    std::int64_t file_copies) const {
  // Left in INJECT for judge-injector, the request only inserts the rule; otherwise it is
  // applied inside the request: every file resolved in the WSGI worker (rucio 1.23.10
  // lib/rucio/web/rest/rule.py#L210).
  if (injected(spec, file_copies))
    return {"add_rule", statements_and_rows(3, 2), world_.cost.row_bytes, 1};
  const auto files = static_cast<double>(file_copies);
  return {"add_rule", rucio::rule_work(files), files * world_.cost.rule_file_bytes, 1};
}

std::uint32_t Workload::add_rule(rucio::Rule rule, const scenario::RuleSpec& spec,
                                 std::int64_t file_copies, bool served) {
  if (!served) api_.serve(rule_call(spec, file_copies));
  const double now = sim::now();
  if (spec.lifetime_s) rule.expires_at_s = now + *spec.lifetime_s;
  const std::uint32_t id = world_.catalog.add_rule(rule);
  if (spec.lifetime_s)
    world_.catalog.schedule_expiry({now + *spec.lifetime_s, rucio::Expiry::What::Rule, id});
  if (injected(spec, file_copies)) {
    world_.catalog.rule(id).state = rucio::RuleState::Inject;
    world_.db.table(Table::RulesInject).insert(RowGroup{1, rule.dataset, 0, rule.rse, 0, id});
  } else {
    rucio::apply_rule(world_, id);
  }
  return id;
}

std::uint32_t Workload::register_dataset(const std::string& campaign, std::int64_t files,
                                         double bytes_per_file, std::uint16_t origin,
                                         std::optional<double> lifetime_s,
                                         std::optional<std::uint32_t> container,
                                         const std::vector<RuleTarget>& rules) {
  const double n = static_cast<double>(files);
  const auto& k = world_.cost;
  // A 1.23 `rucio upload` per file: does the DID exist (GET), register the replica (POST
  // /replicas: replica, DID, counter rows), attach it to its dataset (POST /dids/…/dids).
  // Per dataset: RSE settings and protocols, create the dataset, attach it to its container.
  // Then its rules. One client's calls, served one after the other.
  std::vector<rucio::ApiCalls> calls = {
      {"upload", statements_and_rows(8, 4), 4 * k.row_bytes, 3 * files},
      {"add_dataset", statements_and_rows(4, 4), 4 * k.row_bytes, container ? 3 : 2}};
  for (const auto& target : rules) calls.push_back(rule_call(*target.spec, files));
  api_.serve(calls);
  const double now = sim::now();
  rucio::Dataset ds;
  ds.campaign = campaign;
  ds.container = container;
  ds.files = files;
  ds.bytes_per_file = bytes_per_file;
  ds.origin_rse = origin;
  if (lifetime_s) ds.expires_at_s = now + *lifetime_s;
  const std::uint32_t id = world_.catalog.add_dataset(ds);
  world_.catalog.add_replicas(id, origin, files);
  world_.storage.rse(origin).add_replicas(files, n * bytes_per_file);
  // add_replicas: one RSE counter row per call; the account's usage likewise (rucio 1.23.10
  // lib/rucio/core/replica.py#L1372).
  world_.db.table(Table::UpdatedRseCounters).insert(RowGroup{files, 0, 0, origin, 0, 0});
  world_.db.table(Table::UpdatedAccountCounters).insert(RowGroup{files, 0, 0, origin, 0, 0});
  world_.db.table(Table::DidsNew).insert(RowGroup{1, id, 0, origin, 0, 0});
  if (container) {
    world_.catalog.container(*container).datasets.push_back(id);
    // Attaching to a container: one UPDATED_DIDS row for judge-evaluator (rucio 1.23.10
    // lib/rucio/core/did.py#L502-563).
    world_.db.table(Table::UpdatedDids).insert(RowGroup{1, id, 0, origin, 0, 0});
  }
  if (lifetime_s)
    world_.catalog.schedule_expiry({now + *lifetime_s, rucio::Expiry::What::Dataset, id});
  for (const auto& target : rules) {
    rucio::Rule r;
    r.dataset = id;
    r.rse = target.rse;
    add_rule(r, *target.spec, files, true);
  }
  return id;
}

void Workload::run_injection(const scenario::InjectionSpec& spec) {
  const double window = spec.end_s.value_or(scenario_.duration_s) - spec.start_s;
  inject_window(spec, spec.start_s, spec.start_s + window);
  // `every`: the same window again, n × every later, while it starts before the end.
  for (int n = 1; spec.every_s; ++n) {
    const double start = spec.start_s + n * *spec.every_s;
    if (start >= scenario_.duration_s) break;
    sim::sleep_until(start);
    spawn_upload_tokens(spec, start, start + window);
    inject_window(spec, start, start + window);
  }
}

void Workload::container_rule_later(const scenario::RuleSpec& rule, std::uint32_t container,
                                    std::uint16_t origin, double at_s, std::mt19937_64& rng) {
  // A rule added on an existing container (a replication request on a finished task's
  // output): one add_rule call covering every file the container holds by then; from 10 000
  // file-copies on it is left to judge-injector, which applies it in one transaction
  // (rucio 1.23.10 lib/rucio/core/rule.py#L310-312 and daemons/judge/injector.py#L78-154). Datasets
  // attached later are judge-evaluator's, as for a rule placed before them.
  auto destinations = pick_destinations(rule, origin, rng);
  sim::spawn("rule/" + world_.catalog.container(container).name, client_host_,
             [this, &rule, container, at_s, destinations] {
               sim::sleep_until(at_s);
               for (auto rse : destinations) {
                 rucio::Rule r;
                 r.container = container;
                 r.rse = rse;
                 const std::int64_t files = rucio::rule_files(world_, r);
                 world_.catalog.container(container).rules.push_back(add_rule(r, rule, files));
               }
             });
}

void Workload::inject_window(const scenario::InjectionSpec& spec, double start, double end) {
  auto& rng = world_.ctx.rng.stream("workload." + spec.name);
  const std::uint16_t origin = world_.storage.index_of(spec.rse);
  const double interval =
      (end - start) / static_cast<double>(std::max<std::int64_t>(1, spec.files));
  sim::sleep_until(start);
  std::optional<std::uint32_t> container;
  if (spec.container) {
    container = world_.catalog.add_container(*spec.container);
    // Container rules are placed once, before the first dataset arrives, or `after` the
    // window's start on the container as it is then (container_rule_later).
    for (const auto& rule : spec.rules) {
      if (!rule.on_container) continue;
      if (rule.after_s) {
        container_rule_later(rule, *container, origin, start + *rule.after_s, rng);
        continue;
      }
      for (auto rse : pick_destinations(rule, origin, rng)) {
        rucio::Rule r;
        r.container = container;
        r.rse = rse;
        world_.catalog.container(*container).rules.push_back(add_rule(r, rule, 0));
      }
    }
  }
  // Dataset k is uploaded by client k mod uploaders and registered once its last file is due
  // and the client is free.
  const std::int64_t per = spec.files_per_dataset;
  const std::int64_t datasets = (spec.files + per - 1) / per;
  for (int u = 0; u < spec.uploaders; ++u)
    sim::spawn(
        fmt::format("inject/{}/{}", spec.name, u), client_host_,
        [this, &spec, &rng, origin, start, interval, container, per, datasets, u] {
          for (std::int64_t k = u; k < datasets; k += spec.uploaders) {
            const std::int64_t files = std::min(per, spec.files - k * per);
            const double due = start + interval * static_cast<double>(k * per + files);
            if (spec.attach.mode == scenario::AttachMode::PerFile) {
              // The client's files of dataset k follow those of its previous dataset.
              const std::int64_t prev = k - spec.uploaders;
              const double from =
                  prev < 0 ? start : start + interval * static_cast<double>((prev + 1) * per);
              sim::sleep_until(from);
              upload_per_file(spec, files, from, due, container, dataset_rules(spec, origin, rng));
              continue;
            }
            sim::sleep_until(due);
            register_dataset(spec.name, files, spec.file_size_bytes, origin, spec.lifetime_s,
                             container, dataset_rules(spec, origin, rng));
          }
        });
}

std::vector<Workload::RuleTarget> Workload::dataset_rules(const scenario::InjectionSpec& spec,
                                                          std::uint16_t origin,
                                                          std::mt19937_64& rng) const {
  std::vector<RuleTarget> rules;
  for (const auto& rule : spec.rules)
    if (!rule.on_container)
      for (auto rse : pick_destinations(rule, origin, rng)) rules.push_back({rse, &rule});
  return rules;
}

void Workload::run_noise(const scenario::NoiseSpec& spec) {
  sim::sleep_until(spec.start_s);
  const auto rses = static_cast<std::uint16_t>(world_.storage.size());
  scenario::RuleSpec rule;
  rule.lifetime_s = spec.lifetime_s;
  for (;;) {
    const double sweep_start = sim::now();
    for (std::uint16_t i = 0; i < rses; ++i)
      for (std::uint16_t j = 0; j < rses; ++j)
        if (i != j)
          register_dataset("noise", 1, spec.file_size_bytes, i, spec.lifetime_s, std::nullopt,
                           {{j, &rule}});
    sim::sleep_until(sweep_start + spec.period_s);
  }
}

void Workload::run_expiry_clock() {
  for (;;) {
    sim::sleep_for(kExpiryClock_s);
    const double now = sim::now();
    while (auto next = world_.catalog.next_expiry()) {
      if (next->at_s > now) break;
      rucio::Expiry e = world_.catalog.pop_expiry();
      if (e.what == rucio::Expiry::What::Rule) {
        const rucio::Rule& r = world_.catalog.rule(e.id);
        world_.db.table(Table::RulesExpired).insert(RowGroup{1, r.dataset, 0, r.rse, 0, r.id});
      } else {
        world_.db.table(Table::DidsExpired).insert(RowGroup{1, e.id, 0, 0, 0, 0});
      }
    }
  }
}

}  // namespace dlsim::models::workload
