// Rucio's heartbeat partitioning (models/rucio/heartbeat.hpp): rank and count from the rows
// beaten within older_than, ordered by (pod slot, pod creation, thread).
#include <catch2/catch.hpp>

#include "models/rucio/heartbeat.hpp"

using dlsim::models::rucio::Heartbeats;

TEST_CASE("Heartbeats: only workers that beat count; a dead pod's rows expire after older_than") {
  Heartbeats hb(1800);  // judge-evaluator's older_than in 1.23.10
  // Autoscaling max 3 pods × 1 thread, only slot 0 started: it alone counts (1 of 1), where
  // counting pod slots gave 3 workers and left two thirds of the rows unread.
  auto w = hb.beat(0, 0.0, 0, 1.0);
  CHECK(w.rank == 0);
  CHECK(w.count == 1);
  // Slot 2 starts at t = 100 s: 2 workers; slot 0 is rank 0, slot 2 rank 1.
  w = hb.beat(2, 95.0, 0, 100.0);
  CHECK(w.rank == 1);
  CHECK(w.count == 2);
  w = hb.beat(0, 0.0, 0, 130.0);
  CHECK(w.rank == 0);
  CHECK(w.count == 2);
  // Slot 2 is killed after its beat at 100 s: its row still counts at 100 + 1800 = 1900 s
  // (younger than older_than), so slot 0 keeps rank 0 of 2 and slot 2's rows stay unread ...
  w = hb.beat(0, 0.0, 0, 1900.0);
  CHECK(w.count == 2);
  // ... and is gone just after: slot 0 is 0 of 1 again.
  w = hb.beat(0, 0.0, 0, 1900.5);
  CHECK(w.rank == 0);
  CHECK(w.count == 1);
  CHECK(hb.rows() == 1);
  // A pod created anew in slot 1 (new hostname) and a restart of slot 0's container (same row).
  w = hb.beat(1, 2000.0, 0, 2001.0);
  CHECK(w.rank == 1);
  CHECK(w.count == 2);
  w = hb.beat(0, 0.0, 0, 2002.0);
  CHECK(w.rank == 0);
  CHECK(w.count == 2);
  // Slot 1's pod replaced by a new one (created at 2100 s): the old row still counts until it
  // expires, the new one sorts after it: 3 rows, the new pod rank 2.
  w = hb.beat(1, 2100.0, 0, 2101.0);
  CHECK(w.rank == 2);
  CHECK(w.count == 3);
}
