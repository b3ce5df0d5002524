// Radix selection of exact percentiles over repeated reads of the samples; see
// stream_quantiles.hpp.
#include "analysis/stream_quantiles.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <map>

namespace dlsim::analysis {
namespace {

constexpr int kBinBits = 12;
constexpr std::size_t kBins = std::size_t{1} << kBinBits;

// A double's bits mapped to an unsigned integer that orders as the doubles do (IEEE 754:
// non-negative values order as their bits; negative ones reversed, below them).
std::uint64_t ordered_bits(double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v == 0 ? 0.0 : v);  // -0 and +0 alike
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

// Key state between passes: the wanted rank among the samples still in the running, and the
// bits fixed so far (the top `fixed` bits of ordered_bits).
struct Selection {
  std::int64_t rank = 0;
  std::uint64_t prefix = 0;
  int fixed = 0;
};

// One histogram pass over the next kBinBits bits of the samples whose top bits match.
void narrow(std::vector<Selection>& sel, const SampleSource& source) {
  std::vector<std::vector<std::int64_t>> bins(sel.size());
  for (std::size_t k = 0; k < sel.size(); ++k)
    if (sel[k].rank > 0) bins[k].assign(kBins, 0);
  source([&](std::size_t k, double v) {
    const Selection& s = sel[k];
    if (s.rank == 0) return;
    const std::uint64_t b = ordered_bits(v);
    if (s.fixed > 0 && (b >> (64 - s.fixed)) != s.prefix) return;
    ++bins[k][(b >> (64 - s.fixed - kBinBits)) & (kBins - 1)];
  });
  for (std::size_t k = 0; k < sel.size(); ++k) {
    Selection& s = sel[k];
    if (s.rank == 0) continue;
    std::size_t bin = 0;
    while (s.rank > bins[k][bin]) s.rank -= bins[k][bin++];
    s.prefix = (s.prefix << kBinBits) | bin;
    s.fixed += kBinBits;
  }
}

}  // namespace

std::vector<StreamQuantile> stream_quantiles(const std::vector<double>& p,
                                             const SampleSource& source) {
  std::vector<StreamQuantile> out(p.size());
  source([&](std::size_t k, double v) {
    StreamQuantile& q = out[k];
    q.max = q.count == 0 ? v : std::max(q.max, v);
    ++q.count;
  });
  std::vector<Selection> sel(p.size());
  for (std::size_t k = 0; k < p.size(); ++k) {
    const auto n = out[k].count;
    if (n == 0) continue;
    // The same rank as percentile() (analysis/sizing_rules.cpp): ⌈p × n⌉ within 1 … n.
    const auto rank = static_cast<std::int64_t>(std::ceil(p[k] * static_cast<double>(n)));
    sel[k].rank = std::clamp<std::int64_t>(rank, 1, n);
  }
  narrow(sel, source);  // sign and exponent
  narrow(sel, source);  // the mantissa's top 12 bits
  // The samples left in each key's bin, counted per distinct value, in order.
  std::vector<std::map<double, std::int64_t>> left(p.size());
  source([&](std::size_t k, double v) {
    const Selection& s = sel[k];
    if (s.rank > 0 && (ordered_bits(v) >> (64 - s.fixed)) == s.prefix) ++left[k][v];
  });
  for (std::size_t k = 0; k < p.size(); ++k) {
    std::int64_t rank = sel[k].rank;
    for (const auto& [value, n] : left[k]) {
      out[k].value = value;
      if ((rank -= n) <= 0) break;
    }
    assert(rank <= 0 || sel[k].rank == 0);
  }
  return out;
}

}  // namespace dlsim::analysis
