// The report's cluster sections: every pod's life on a time line (from events.csv) and the
// packing of pods onto nodes at the end of the run (pods.csv, summary.json nodes[]).
#include <algorithm>

#include <fmt/core.h>

#include "analysis/report_chart.hpp"
#include "analysis/report_html.hpp"
#include "analysis/report_sections.hpp"

namespace dlsim::analysis::report {
namespace {

enum class State { none, pending, running, backoff };

struct Segment {
  double start_s, end_s;
  State state;
};

struct Life {
  std::vector<Segment> segments;
  std::vector<const EventRow*> marks;  // OOMKilled, Evicted, Preempted
};

const char* state_name(State s) {
  switch (s) {
    case State::pending:
      return "Pending";
    case State::running:
      return "Running";
    case State::backoff:
      return "CrashLoopBackOff";
    case State::none:
      break;
  }
  return "";
}

const char* state_colour(State s) {
  switch (s) {
    case State::pending:
      return "#bbbbbb";
    case State::running:
      return "#2ca02c";
    case State::backoff:
      return "#ff7f0e";
    case State::none:
      break;
  }
  return "none";
}

// The pod's states from its events: Unschedulable opens Pending, Scheduled and Restarted open
// Running, BackOff opens back-off, Completed, Evicted and Preempted end it. A pod that ended
// without an event (a scale-down, a drain) ends at its last sample.
Life pod_life(const RunData& run, const PodRow& pod, const std::vector<const EventRow*>& events) {
  Life life;
  State state = State::none;
  double since = 0;
  auto enter = [&](State next, double t) {
    if (state != State::none && t > since) life.segments.push_back({since, t, state});
    state = next;
    since = t;
  };
  for (const EventRow* e : events) {
    const std::string& k = e->kind;
    if (k == "Unschedulable" && state == State::none)
      enter(State::pending, e->time_s);
    else if (k == "Scheduled" || k == "Restarted")
      enter(State::running, e->time_s);
    else if (k == "BackOff")
      enter(State::backoff, e->time_s);
    else if (k == "Completed")
      enter(State::none, e->time_s);
    if (k == "OOMKilled" || k == "Evicted" || k == "Preempted") life.marks.push_back(e);
    if (k == "Evicted" || k == "Preempted") enter(State::none, e->time_s);
  }
  double end = run.end_s;
  if (pod.phase == "Absent" || pod.phase == "Failed" || pod.phase == "Succeeded") {
    auto it = run.pod_last_sample_s.find(pod.name);
    end = std::max(since, it == run.pod_last_sample_s.end() ? since : it->second);
  }
  enter(State::none, end);
  return life;
}

std::string timeline_svg(const RunData& run) {
  std::map<std::string, std::vector<const EventRow*>> by_pod;
  for (const auto& e : run.events)
    if (run.pod_index.count(e.object)) by_pod[e.object].push_back(&e);
  const double n = static_cast<double>(run.pods.size());
  const double row = n <= 120 ? 14 : std::max(3.0, 1680 / n);
  const double label_w = 190, plot_w = 450, top = 4, axis_h = 18;
  const double height = top + n * row + axis_h;
  auto x = [&](double t) { return label_w + std::clamp(t / run.end_s, 0.0, 1.0) * plot_w; };
  std::string out =
      fmt::format("<svg width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\">\n",
                  label_w + plot_w + 10, height);
  for (std::size_t i = 0; i < run.pods.size(); ++i) {
    const PodRow& pod = run.pods[i];
    const double y = top + static_cast<double>(i) * row;
    if (row >= 10)
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"yl\">{}</text>\n", label_w - 4,
                         y + row - 3, html_escape(pod.name));
    Life life = pod_life(run, pod, by_pod[pod.name]);
    for (const auto& s : life.segments)
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
          "<title>{}: {} {}–{}</title></rect>\n",
          x(s.start_s), y + 1, std::max(0.5, x(s.end_s) - x(s.start_s)), row - 2,
          state_colour(s.state), html_escape(pod.name), state_name(s.state), format_time(s.start_s),
          format_time(s.end_s));
    for (const EventRow* e : life.marks)
      out += fmt::format(
          "<g class=\"marker\"><title>{} {} at {}: {}</title><line x1=\"{:.1f}\" x2=\"{:.1f}\" "
          "y1=\"{:.1f}\" y2=\"{:.1f}\" style=\"stroke:{}\"/></g>\n",
          html_escape(pod.name), html_escape(e->kind), format_time(e->time_s),
          html_escape(e->detail), x(e->time_s), x(e->time_s), y, y + row,
          e->kind == "OOMKilled" ? "#d62728" : "#9467bd");
  }
  for (double t : time_ticks(run.end_s))
    out += fmt::format("<text class=\"xl\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x(t), height - 5,
                       format_time(t));
  return out + "</svg>\n";
}

}  // namespace

std::string section_pods(const RunData& run) {
  return "<section id=\"pods\"><h2>Pods: life of every pod</h2>\n<figure class=\"chart\">"
         "<figcaption>From <code>events.csv</code>, pods in the order of <code>pods.csv</code>."
         " <span class=\"key\" style=\"background:#bbbbbb\"></span>Pending"
         " <span class=\"key\" style=\"background:#2ca02c\"></span>Running"
         " <span class=\"key\" style=\"background:#ff7f0e\"></span>CrashLoopBackOff"
         " <span class=\"key mark\"></span>OOMKilled"
         " <span class=\"key\" style=\"background:#9467bd\"></span>Evicted or preempted."
         " A pod removed without an event (scale-down, drain) ends at its last sample."
         "</figcaption>\n" +
         timeline_svg(run) + "</figure>\n</section>\n";
}

namespace {

struct Packing {
  std::vector<const PodRow*> pods;
  double cpu_cores = 0, mem_bytes = 0;
};

// One stacked bar: each pod's request as a share of the node's allocatable resource.
std::string packing_bar(const Packing& p, double y, double allocatable, bool cpu) {
  const double x0 = 200, w = 420, h = 9;
  std::string out = fmt::format(
      "<rect x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" class=\"frame\"/>\n", x0, y, w, h);
  double used = 0;
  for (std::size_t i = 0; i < p.pods.size(); ++i) {
    const auto& r = cpu ? p.pods[i]->cpu_request_cores : p.pods[i]->mem_request_bytes;
    const double v = r.value_or(0);
    if (v <= 0 || allocatable <= 0) continue;
    const double seg = std::min(v / allocatable, 1.0 - used) * w;
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\">"
        "<title>{}: {} request {}</title></rect>\n",
        x0 + used * w, y, std::max(seg, 0.0), h, palette(i), html_escape(p.pods[i]->name),
        cpu ? "CPU" : "memory", html_escape(format_value(v, cpu ? Unit::cores : Unit::bytes)));
    used = std::min(1.0, used + v / allocatable);
  }
  return out;
}

}  // namespace

namespace {

// Two bars per node (CPU, memory), in the order of summary.json nodes[].
std::string packing_svg(const nlohmann::json& nodes, std::map<std::string, Packing>& packing) {
  const double row = 30;
  std::string svg =
      fmt::format("<svg width=\"640\" height=\"{0:.0f}\" viewBox=\"0 0 640 {0:.0f}\">\n",
                  row * static_cast<double>(nodes.size()) + 4);
  double y = 2;
  for (const auto& n : nodes) {
    const std::string name = n.at("name");
    svg += fmt::format(
        "<text class=\"yl\" x=\"150\" y=\"{:.1f}\">{}</text>"
        "<text class=\"yl\" x=\"196\" y=\"{:.1f}\">CPU</text>"
        "<text class=\"yl\" x=\"196\" y=\"{:.1f}\">mem</text>\n",
        y + 16, html_escape(name), y + 9, y + 21);
    svg += packing_bar(packing[name], y, n.at("cpu_allocatable_cores"), true);
    svg += packing_bar(packing[name], y + 12, n.at("mem_allocatable_bytes"), false);
    y += row;
  }
  return svg + "</svg>";
}

std::string joined_names(const std::vector<const PodRow*>& pods) {
  std::string names;
  for (const PodRow* pod : pods) names += (names.empty() ? "" : ", ") + html_escape(pod->name);
  return names;
}

}  // namespace

std::string section_nodes(const RunData& run) {
  const auto& nodes = run.summary.at("nodes");
  std::map<std::string, Packing> packing;
  std::vector<const PodRow*> pending;
  for (const auto& p : run.pods) {
    if (p.phase == "Pending") pending.push_back(&p);
    if (p.node.empty() || (p.phase != "Running" && p.phase != "CrashLoopBackOff")) continue;
    packing[p.node].pods.push_back(&p);
  }
  std::vector<std::vector<std::string>> table;
  for (const auto& n : nodes)
    table.push_back({html_escape(n.at("name").get<std::string>()),
                     html_escape(n.at("pool").get<std::string>()),
                     format_value(n.at("cpu_requested_cores"), Unit::cores) + " / " +
                         format_value(n.at("cpu_allocatable_cores"), Unit::cores),
                     html_escape(format_value(n.at("mem_requested_bytes"), Unit::bytes) + " / " +
                                 format_value(n.at("mem_allocatable_bytes"), Unit::bytes)),
                     joined_names(packing[n.at("name").get<std::string>()].pods)});
  std::string out =
      "<section id=\"nodes\"><h2>Node packing at the end of the run</h2>\n<figure "
      "class=\"chart\"><figcaption>Requests of the pods bound to each node (running or in "
      "back-off) as a share of its allocatable CPU and memory; hover for the pod.</figcaption>\n" +
      packing_svg(nodes, packing) + "</figure>\n" +
      html_table(
          {"node", "pool", "CPU requested / allocatable", "memory requested / allocatable", "pods"},
          table);
  if (!pending.empty())
    out += "<p><span class=\"bad\">Pending at the end:</span> " + joined_names(pending) + "</p>\n";
  return out + "</section>\n";
}

}  // namespace dlsim::analysis::report
