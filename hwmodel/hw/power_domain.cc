#include "hwmodel/hw/power_domain.h"

#include "harness/trace/trace.h"

namespace probestorm::hwmodel {

namespace {
constexpr uint64_t kCountMask = 0xFFFF'FFFF;
constexpr uint64_t kGeneration = uint64_t{1} << 32;
}  // namespace

void PowerDomain::Get() {
  if ((state_.FetchAdd(1) & kCountMask) == 0) harness::TraceLog(name_, "genpd_power_on");
}

void PowerDomain::Put() { Drop("genpd_power_off"); }

void PowerDomain::ReleaseBootReference() {
  bool held = true;
  if (boot_ref_held_.CompareExchange(held, false)) Drop("genpd_power_off_unused");
}

void PowerDomain::Drop(const char* why) {
  uint64_t s = state_.Load();
  for (;;) {
    const uint64_t count = s & kCountMask;
    if (count == 0) {
      unbalanced_.FetchAdd(1);
      harness::TraceLog(name_, why, "WARN: power domain usage count underflow");
      return;
    }
    // The last reference powers the domain off: count 0 and the next generation, in one step.
    const uint64_t next = count == 1 ? (s & ~kCountMask) + kGeneration : s - 1;
    if (state_.CompareExchange(s, next)) {
      if (count == 1) harness::TraceLog(name_, why, "power off");
      return;
    }
  }
}

}  // namespace probestorm::hwmodel
