// What a Rucio process does, counted in the units the cost constants price (DESIGN.md §3.3):
// a daemon's or server's CPU is its work times the global constants of rucio.model, so the
// same constants price every service and calibration has one linear system to solve.
#pragma once

#include "sim/scenario.hpp"

namespace dlsim::models::rucio {

struct Work {
  double statements = 0;   // SQL statements issued (ORM/driver work in the process, a round trip)
  double rows = 0;         // rows loaded into Python as ORM objects or dicts
  double dedup_pairs = 0;  // (row, unique row) comparisons of an in-Python de-duplication
  double messages = 0;     // messages built and sent (STOMP) or parsed
  double requests = 0;     // HTTP requests served (WSGI dispatch, auth hook, response)
  double fts_calls = 0;    // FTS REST calls made (job submissions, status queries)

  Work& operator+=(const Work& o) {
    statements += o.statements;
    rows += o.rows;
    dedup_pairs += o.dedup_pairs;
    messages += o.messages;
    requests += o.requests;
    fts_calls += o.fts_calls;
    return *this;
  }
};

inline Work operator*(double k, Work w) {
  w.statements *= k;
  w.rows *= k;
  w.dedup_pairs *= k;
  w.messages *= k;
  w.requests *= k;
  w.fts_calls *= k;
  return w;
}

// Core-seconds of CPU the work costs in the process that does it.
inline double cpu_seconds(const Work& w, const sim::RucioCostSpec& k) {
  return w.statements * k.cpu_per_statement_s + w.rows * k.cpu_per_row_s +
         w.dedup_pairs * k.cpu_per_dedup_pair_s + w.messages * k.cpu_per_message_s +
         w.requests * k.cpu_per_request_s + w.fts_calls * k.cpu_per_fts_call_s;
}

}  // namespace dlsim::models::rucio
