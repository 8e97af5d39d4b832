#include "stress/engine_spec.h"

#include <limits>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "driver/invariants/all.h"
#include "harness/strings.h"
#include "harness/time.h"
#include "stress/flags.h"

namespace probestorm::stress {
absl::StatusOr<EngineKind> ParseEngineKind(std::string_view text) {
  if (text == "controlled") return EngineKind::kControlled;
  if (text == "free") return EngineKind::kFree;
  return absl::InvalidArgumentError(absl::StrCat("unknown engine '", Av(text), "'"));
}

std::string_view EngineKindName(EngineKind e) {
  return e == EngineKind::kFree ? "free" : "controlled";
}

std::string FormatInvariants(const harness::InvariantSet& set) {
  std::vector<absl::string_view> on;
  bool all = true;
  for (const harness::InvariantId id : kernel::invariants::Registry().all()) {
    if (set.Has(id)) {
      on.push_back(Av(id.name()));
    } else {
      all = false;
    }
  }
  if (all) return "";
  if (on.empty()) return ",";
  return absl::StrJoin(on, ",");
}

absl::StatusOr<EngineSpec> ParseEngineSpec(std::string_view engine, std::string_view strategy,
                                           std::string_view perturb, double time_scale,
                                           std::string_view invariants,
                                           std::string_view max_virtual_time) {
  EngineSpec spec;
  auto e = ParseEngineKind(engine);
  if (!e.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --engine '", Av(engine), "' (controlled or free)"));
  }
  spec.engine = *e;
  auto s = harness::StrategySpec::Parse(strategy);
  if (!s.ok()) return s.status();
  spec.strategy = std::move(*s);
  auto p = harness::ParsePerturb(perturb);
  if (!p.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --perturb '", Av(perturb), "' (none, light or heavy)"));
  }
  spec.perturb = *p;
  spec.time_scale = time_scale;
  if (!(spec.time_scale >= 0) || spec.time_scale == std::numeric_limits<double>::infinity()) {
    return absl::InvalidArgumentError("bad --time_scale (must be a number >= 0)");
  }
  auto inv = harness::InvariantSet::Parse(invariants, kernel::invariants::Registry());
  if (!inv.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--invariants: ", inv.status().message()));
  }
  spec.options.invariants = *inv;
  auto mvt = harness::ParseDuration(max_virtual_time);
  if (!mvt.ok() || *mvt <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --max_virtual_time '", Av(max_virtual_time), "'"));
  }
  spec.options.max_virtual_time = *mvt;
  return spec;
}

absl::StatusOr<EngineSpec> EngineSpecFromFlags() {
  return ParseEngineSpec(absl::GetFlag(FLAGS_engine), absl::GetFlag(FLAGS_strategy),
                         absl::GetFlag(FLAGS_perturb), absl::GetFlag(FLAGS_time_scale),
                         absl::GetFlag(FLAGS_invariants), absl::GetFlag(FLAGS_max_virtual_time));
}

absl::StatusOr<EngineSpec> EngineSpecFromToken(const ReplayToken& t) {
  EngineSpec spec;
  auto inv = harness::InvariantSet::Parse(t.invariants, kernel::invariants::Registry());
  if (!inv.ok()) return absl::InvalidArgumentError(absl::StrCat("replay token: ", inv.status().message()));
  spec.options.invariants = *inv;
  auto e = ParseEngineKind(t.engine);
  if (!e.ok()) return absl::InvalidArgumentError(absl::StrCat("replay token: ", e.status().message()));
  spec.engine = *e;
  if (t.strategy == "replay") {
    spec.strategy = harness::StrategySpec::Replay(t.schedule);
  } else {
    auto s = harness::StrategySpec::Parse(t.strategy);
    if (!s.ok()) return s.status();
    spec.strategy = std::move(*s);
  }
  auto p = harness::ParsePerturb(t.perturb);
  if (!p.ok()) return absl::InvalidArgumentError(absl::StrCat("replay token: ", p.status().message()));
  spec.perturb = *p;
  spec.time_scale = t.time_scale;
  spec.options.max_virtual_time = t.max_virtual_time_ns;
  spec.options.max_steps = t.max_steps;
  return spec;
}

void SetTokenEngine(const EngineSpec& spec, ReplayToken& t) {
  t.engine = std::string(EngineKindName(spec.engine));
  t.strategy = spec.strategy.Format();
  t.schedule = spec.replays() ? spec.strategy.schedule : nullptr;
  t.perturb = harness::PerturbName(spec.perturb);
  t.time_scale = spec.time_scale;
  t.invariants = FormatInvariants(spec.options.invariants);
  t.max_virtual_time_ns = spec.options.max_virtual_time;
  t.max_steps = spec.options.max_steps;
}

}  // namespace probestorm::stress
