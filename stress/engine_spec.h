// The engine spec of a run: engine, strategy, perturbation, time scale, enabled invariants and the
// engine limits, as typed values. Parsed once where the text enters, from the flags
// (EngineSpecFromFlags) or from a replay token (EngineSpecFromToken), and formatted back to the
// same text for tokens, reports and printouts.
//
// Thread-safety: values and pure functions (EngineSpecFromFlags reads the process-wide flags).
#ifndef PROBESTORM_STRESS_ENGINE_SPEC_H_
#define PROBESTORM_STRESS_ENGINE_SPEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "harness/engine.h"
#include "harness/free_engine.h"
#include "harness/invariant.h"
#include "harness/sched/strategy.h"
#include "stress/token.h"

namespace probestorm::stress {

enum class EngineKind : uint8_t {
  kControlled,  // deterministic fibers under a Strategy
  kFree,        // OS threads with seeded perturbation, not deterministic
};
// "controlled" or "free".
absl::StatusOr<EngineKind> ParseEngineKind(std::string_view text);
std::string_view EngineKindName(EngineKind e);

// What one run needs besides its board and profile (all of it goes into a replay token).
struct EngineSpec {
  EngineKind engine = EngineKind::kControlled;
  harness::StrategySpec strategy;                   // controlled engine
  harness::Perturb perturb = harness::Perturb::kLight;  // free engine
  double time_scale = 0;  // free engine: 0, or virtual ns per real ns (free_engine.h)
  // Enabled invariants and limits; the seed is set per run. A campaign run goes on after a
  // violation (an oops still ends its task): the seed report is a causal chain (a swallowed -ENODEV,
  // xlate-uninit-controller, lets a master bind without its IOMMU, and a later SysMMU's
  // bus_iommu_probe then attaches a domain under it, dma-ops-on-bound), and every link should be
  // reported. Tokens do not record it: every spec, parsed or default, has it off, so a replay of a
  // token re-runs the same run.
  harness::EngineOptions options = [] {
    harness::EngineOptions o;
    o.stop_on_violation = false;
    return o;
  }();
  harness::ThreadCreateFn create_thread;  // free engine: empty = pthread_create (tests inject
                                          // failures here)

  bool free() const { return engine == EngineKind::kFree; }
  bool controlled() const { return engine == EngineKind::kControlled; }
  // A replay of a recorded schedule (shrink's result, a learning strategy's run).
  bool replays() const { return strategy.Is(harness::StrategySpec::Kind::kReplay); }
};

// The --invariants text of a set: "" for all, else the enabled ids in registry order ("," for
// none, which parses back to none).
std::string FormatInvariants(const harness::InvariantSet& set);

// The engine spec from its texts, checked; errors name the flag (`bad --engine 'x' ...`).
absl::StatusOr<EngineSpec> ParseEngineSpec(std::string_view engine, std::string_view strategy,
                                           std::string_view perturb, double time_scale,
                                           std::string_view invariants,
                                           std::string_view max_virtual_time);
// --engine, --strategy, --perturb, --time_scale, --invariants, --max_virtual_time.
absl::StatusOr<EngineSpec> EngineSpecFromFlags();
// The engine spec a token recorded (a "replay" strategy takes the token's schedule).
absl::StatusOr<EngineSpec> EngineSpecFromToken(const ReplayToken& t);
// Writes the spec into a token's engine fields (engine, strategy and schedule, perturb, time
// scale, invariants, limits): the inverse of EngineSpecFromToken.
void SetTokenEngine(const EngineSpec& spec, ReplayToken& t);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_ENGINE_SPEC_H_
