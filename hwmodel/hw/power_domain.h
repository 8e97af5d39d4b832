// PowerDomain: one generic power domain (drivers/base/power/domain.c, an Exynos PD node), as
// devices see it through runtime PM: Get() when a consumer resumes, Put() when it suspends.
//
// The domain is ON while its reference count is > 0. It starts ON with one "boot" reference
// (genpd keeps domains that were on at boot powered until late_initcall genpd_power_off_unused /
// sync_state); ReleaseBootReference() drops it, once.
//
// Power-off loses state: every ON -> OFF transition increments power_off_count(). Blocks inside
// the domain (SysmmuBlock) compare it with the value they last saw and reset their registers and
// TLB on their next access — a SysMMU that was powered down comes back disabled, with PT_BASE 0.
//
// A Put() below zero is kept at the floor of 0, counted in unbalanced_puts() and traced
// (the kernel would WARN in genpd / runtime PM usage-count underflow); no finding.
//
// Thread-safety: thread-safe under both engines; Get/Put/ReleaseBootReference are schedule points
// (harness::Atomic). on() and power_off_count() are instantaneous observations without a schedule
// point (what hardware sees).
#ifndef PROBESTORM_HWMODEL_HW_POWER_DOMAIN_H_
#define PROBESTORM_HWMODEL_HW_POWER_DOMAIN_H_

#include <cstdint>
#include <string>

#include "harness/sync/atomic.h"

namespace probestorm::hwmodel {

class PowerDomain {
 public:
  explicit PowerDomain(std::string name) : name_(std::move(name)) {}
  PowerDomain(const PowerDomain&) = delete;
  PowerDomain& operator=(const PowerDomain&) = delete;

  void Get();
  void Put();
  // Drops the initial boot reference; later calls do nothing.
  void ReleaseBootReference();

  bool on() const { return (state_.Peek() & 0xFFFF'FFFF) > 0; }
  int refcount() const { return static_cast<int>(state_.Peek() & 0xFFFF'FFFF); }
  uint64_t power_off_count() const { return state_.Peek() >> 32; }
  uint64_t unbalanced_puts() const { return unbalanced_.Peek(); }
  // The provider node's name, e.g. "power-domain@105c4000".
  const std::string& name() const { return name_; }

 private:
  void Drop(const char* why);

  const std::string name_;
  // (power-off count << 32) | reference count, one atomic word so that the 1 -> 0 transition and
  // the generation bump are one step (a block never sees the domain back on with the old
  // generation after it was off). Interleaving avoided: task A drops 1 -> 0, task B Gets 0 -> 1,
  // a SysMMU access sees the domain on with the old generation, then A bumps it and the next access
  // resets registers programmed while the domain was on (PowerDomain.ConcurrentGetPutStaysBalanced
  // covers the counting). Starts with the boot reference.
  harness::Atomic<uint64_t> state_{1};
  harness::Atomic<bool> boot_ref_held_{true};
  harness::Atomic<uint64_t> unbalanced_{0};
};

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_HW_POWER_DOMAIN_H_
