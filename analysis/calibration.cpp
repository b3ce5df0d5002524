#include "analysis/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/core.h>

#include "models/rucio/work.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/units.hpp"

namespace dlsim::analysis {
namespace {

// Below this fraction of its observed CPU (the low end of a range), a service's load is
// missing from the scenario rather than mispriced: it is left out of the refit.
constexpr double kUnexplainedFraction = 0.1;

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string field; std::getline(ss, field, ',');) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// "0.2-0.7" → {0.2, 0.7}; "0.05" → {0.05, 0.05}; "" → nothing.
std::pair<std::optional<double>, std::optional<double>> cpu_range(const std::string& text) {
  if (text.empty()) return {};
  auto dash = text.find('-');
  auto lo = scenario::units::parse_cpu_cores(text.substr(0, dash));
  auto hi =
      scenario::units::parse_cpu_cores(dash == std::string::npos ? text : text.substr(dash + 1));
  if (!lo.ok() || !hi.ok()) return {};
  return {lo.value(), hi.value()};
}

}  // namespace

std::vector<Observation> read_observations(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw scenario::InputError({path, 1, 1}, "", "cannot open the observations file");
  std::vector<Observation> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 || line.empty()) continue;  // header
    auto f = split_csv(line);
    if (f.size() < 5)
      throw scenario::InputError(
          {path, number, 1}, "",
          "expected service,limits_in_force,cpu_typical,cpu_peak,mem_typical,...");
    Observation o;
    o.service = f[0];
    std::tie(o.cpu_low_cores, o.cpu_high_cores) = cpu_range(f[2]);
    if (!f[2].empty() && !o.cpu_low_cores)
      throw scenario::InputError({path, number, 1}, "",
                                 fmt::format("'{}' is not a CPU figure", f[2]));
    if (!f[4].empty()) {
      auto mem = scenario::units::parse_bytes(f[4]);
      if (!mem.ok()) throw scenario::InputError({path, number, 1}, "", mem.error());
      o.mem_bytes = mem.value();
    }
    out.push_back(o);
  }
  return out;
}

Eigen::VectorXd nnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b) {
  const Eigen::Index n = a.cols();
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
  std::vector<bool> passive(static_cast<std::size_t>(n), false);
  const double tol = 1e-12 * std::max(1.0, a.norm() * b.norm());
  for (int outer = 0; outer < 3 * n + 10; ++outer) {
    Eigen::VectorXd w = a.transpose() * (b - a * x);
    Eigen::Index best = -1;
    for (Eigen::Index j = 0; j < n; ++j)
      if (!passive[static_cast<std::size_t>(j)] && w(j) > tol && (best < 0 || w(j) > w(best)))
        best = j;
    if (best < 0) break;
    passive[static_cast<std::size_t>(best)] = true;
    for (int inner = 0; inner < 3 * n + 10; ++inner) {
      std::vector<Eigen::Index> cols;
      for (Eigen::Index j = 0; j < n; ++j)
        if (passive[static_cast<std::size_t>(j)]) cols.push_back(j);
      Eigen::MatrixXd ap(a.rows(), static_cast<Eigen::Index>(cols.size()));
      for (std::size_t k = 0; k < cols.size(); ++k)
        ap.col(static_cast<Eigen::Index>(k)) = a.col(cols[k]);
      Eigen::VectorXd z = ap.colPivHouseholderQr().solve(b);
      bool feasible = true;
      for (Eigen::Index k = 0; k < z.size(); ++k) feasible = feasible && z(k) > 0;
      if (feasible) {
        x.setZero();
        for (std::size_t k = 0; k < cols.size(); ++k) x(cols[k]) = z(static_cast<Eigen::Index>(k));
        break;
      }
      // Step back towards the feasible region and drop the variables that hit zero.
      double alpha = std::numeric_limits<double>::infinity();
      for (std::size_t k = 0; k < cols.size(); ++k) {
        double zk = z(static_cast<Eigen::Index>(k));
        if (zk <= 0) alpha = std::min(alpha, x(cols[k]) / (x(cols[k]) - zk));
      }
      for (std::size_t k = 0; k < cols.size(); ++k)
        x(cols[k]) += alpha * (z(static_cast<Eigen::Index>(k)) - x(cols[k]));
      for (Eigen::Index j = 0; j < n; ++j)
        if (passive[static_cast<std::size_t>(j)] && x(j) <= tol) {
          passive[static_cast<std::size_t>(j)] = false;
          x(j) = 0;
        }
    }
  }
  return x;
}

std::optional<CpuConstant> parse_cpu_constant(std::string_view name) {
  if (name == "statement") return CpuConstant::Statement;
  if (name == "row") return CpuConstant::Row;
  if (name == "message") return CpuConstant::Message;
  if (name == "request") return CpuConstant::Request;
  if (name == "fts_call") return CpuConstant::FtsCall;
  if (name == "idle") return CpuConstant::Idle;
  if (name == "idle_server") return CpuConstant::IdleServer;
  return std::nullopt;
}

Calibration calibrate(const scenario::Scenario& scenario, const sim::Summary& summary,
                      const std::vector<Observation>& observed,
                      const std::vector<CpuConstant>& fit) {
  Calibration out;
  out.constants = scenario.rucio.model;
  auto& k = out.constants;
  const double duration = summary.simulated_s;
  struct Row {
    const sim::ServiceSummary* service;
    const Observation* obs;
    int processes;
    const scenario::ServiceSpec* spec;
    bool server;
  };
  std::vector<Row> rows;
  for (const auto& o : observed)
    for (const auto& s : summary.services)
      if (s.name == o.service) {
        const scenario::ServiceSpec* spec = nullptr;
        if (auto it = scenario.rucio.servers.find(s.name); it != scenario.rucio.servers.end())
          spec = &it->second;
        if (auto it = scenario.rucio.daemons.find(s.name); it != scenario.rucio.daemons.end())
          spec = &it->second;
        if (spec)
          rows.push_back({&s, &o, spec->processes, spec, scenario.rucio.servers.count(s.name) > 0});
      }

  // CPU: one column per fitted constant; the fixed ones move to the right-hand side.
  auto constant = [&k](CpuConstant c) -> double& {
    switch (c) {
      case CpuConstant::Statement:
        return k.cpu_per_statement_s;
      case CpuConstant::Row:
        return k.cpu_per_row_s;
      case CpuConstant::Message:
        return k.cpu_per_message_s;
      case CpuConstant::Request:
        return k.cpu_per_request_s;
      case CpuConstant::FtsCall:
        return k.cpu_per_fts_call_s;
      case CpuConstant::Idle:
        return k.cpu_idle_cores;
      case CpuConstant::IdleServer:
        return k.cpu_idle_server_cores;
    }
    return k.cpu_per_message_s;
  };
  // Core-seconds per unit of each constant over the run: the work counted, or for the idle
  // load the process-seconds of every pod (all of them ran the whole time).
  auto amount = [duration](const Row& r, CpuConstant c) {
    const auto& w = r.service->work;
    switch (c) {
      case CpuConstant::Statement:
        return w.statements;
      case CpuConstant::Row:
        return w.rows;
      case CpuConstant::Message:
        return w.messages;
      case CpuConstant::Request:
        return w.requests;
      case CpuConstant::FtsCall:
        return w.fts_calls;
      case CpuConstant::Idle:
        return r.server ? 0.0 : static_cast<double>(r.service->replicas) * duration;
      case CpuConstant::IdleServer:
        return r.server ? static_cast<double>(r.processes * r.service->replicas) * duration : 0.0;
    }
    return 0.0;
  };
  const std::vector<CpuConstant> all = {
      CpuConstant::Statement, CpuConstant::Row,  CpuConstant::Message,   CpuConstant::Request,
      CpuConstant::FtsCall,   CpuConstant::Idle, CpuConstant::IdleServer};
  // Mean cores per pod of a service, its work priced by `c` plus its idle processes.
  auto cores = [&](const Row& r, const scenario::RucioCostSpec& c) {
    if (r.service->replicas <= 0) return 0.0;
    const auto& s = r.service->work;
    models::rucio::Work w;
    w.statements = s.statements;
    w.rows = s.rows;
    w.dedup_pairs = s.dedup_pairs;
    w.messages = s.messages;
    w.requests = s.requests;
    w.fts_calls = s.fts_calls;
    // The model's own price of the work (models/rucio/work.hpp), per pod over the run.
    return models::rucio::cpu_seconds(w, c) / (duration * r.service->replicas) +
           (r.server ? r.processes * c.cpu_idle_server_cores : c.cpu_idle_cores);
  };
  std::vector<const Row*> all_cpu_rows;
  for (const auto& r : rows)
    if (r.obs->cpu_low_cores && r.service->replicas > 0) all_cpu_rows.push_back(&r);
  auto solve = [&](const std::vector<const Row*>& cpu_rows) {
    Eigen::MatrixXd a(static_cast<Eigen::Index>(cpu_rows.size()),
                      static_cast<Eigen::Index>(fit.size()));
    Eigen::VectorXd b(static_cast<Eigen::Index>(cpu_rows.size()));
    for (std::size_t i = 0; i < cpu_rows.size(); ++i) {
      const auto& w = cpu_rows[i]->service->work;
      const Row& row = *cpu_rows[i];
      const double per = 1.0 / (duration * cpu_rows[i]->service->replicas);
      const double target =
          0.5 * (*cpu_rows[i]->obs->cpu_low_cores + *cpu_rows[i]->obs->cpu_high_cores);
      const double weight = 1.0 / target;  // relative error
      const auto r = static_cast<Eigen::Index>(i);
      double fixed = w.dedup_pairs * k.cpu_per_dedup_pair_s;
      for (auto c : all)
        if (std::find(fit.begin(), fit.end(), c) == fit.end())
          fixed += amount(row, c) * constant(c);
      for (std::size_t j = 0; j < fit.size(); ++j)
        a(r, static_cast<Eigen::Index>(j)) = amount(row, fit[j]) * per * weight;
      b(r) = (target - fixed * per) * weight;
    }
    if (!cpu_rows.empty() && !fit.empty()) {
      Eigen::VectorXd c = nnls(a, b);
      // A constant that no observed service's work uses is not measured by the fit (its
      // column is zero and NNLS would return 0): it keeps the scenario's value.
      for (std::size_t j = 0; j < fit.size(); ++j)
        if (a.col(static_cast<Eigen::Index>(j)).cwiseAbs().maxCoeff() > 0)
          constant(fit[j]) = c(static_cast<Eigen::Index>(j));
    }
  };
  solve(all_cpu_rows);
  // A service that the fitted constants leave below a tenth of its observation does work the
  // scenario does not contain (no constant can explain it without inflating every other
  // service): it is reported as unexplained and the fit is redone without it.
  std::vector<const Row*> explained;
  std::vector<std::string> unexplained;
  for (const Row* r : all_cpu_rows) {
    if (cores(*r, k) >= kUnexplainedFraction * *r->obs->cpu_low_cores)
      explained.push_back(r);
    else
      unexplained.push_back(r->service->name);
  }
  if (!unexplained.empty() && !explained.empty()) {
    k = scenario.rucio.model;
    solve(explained);
  }

  // Memory: observed = processes × base + heap, heap = (ws max − processes × the base the run
  // used). A service's own base makes it exact; the global base fits the observed daemons.
  const auto& k0 = scenario.rucio.model;
  auto heap_of = [&k0](const Row& r) {
    return r.service->mem_ws_max_bytes - r.processes * r.spec->base_memory_or(k0.base_memory_bytes);
  };
  double num = 0, den = 0;
  // A service whose pods never ran has no working set to learn from.
  auto ran = [](const Row& r) {
    return r.service->replicas > 0 && r.service->mem_ws_max_bytes > 0;
  };
  for (const auto& r : rows) {
    if (!r.obs->mem_bytes || r.server || !ran(r)) continue;
    const double o = *r.obs->mem_bytes;
    num += (o - heap_of(r)) / (o * o);
    den += 1 / (o * o);
  }
  if (den > 0) k.base_memory_bytes = std::max(0.0, num / den);

  for (const auto& r : rows) {
    ServiceFit f;
    f.service = r.service->name;
    f.cpu_low_cores = r.obs->cpu_low_cores;
    f.cpu_high_cores = r.obs->cpu_high_cores;
    f.mem_observed_bytes = r.obs->mem_bytes;
    f.cpu_before_cores = cores(r, k0);
    f.cpu_after_cores = cores(r, k);
    f.cpu_unexplained =
        std::find(unexplained.begin(), unexplained.end(), f.service) != unexplained.end();
    f.daemon = scenario.rucio.daemons.count(r.spec->name) > 0;
    f.mem_before_bytes = r.service->mem_ws_max_bytes;
    // Without an observation of its own a service keeps (or gets) the global base.
    f.mem_after_bytes =
        ran(r) ? heap_of(r) + r.processes * r.spec->base_memory_or(k.base_memory_bytes) : 0.0;
    if (r.obs->mem_bytes && ran(r)) {
      f.base_memory_bytes = std::max(0.0, (*r.obs->mem_bytes - heap_of(r)) / r.processes);
      f.mem_after_bytes = heap_of(r) + r.processes * *f.base_memory_bytes;
    }
    out.services.push_back(f);
  }
  return out;
}

}  // namespace dlsim::analysis
