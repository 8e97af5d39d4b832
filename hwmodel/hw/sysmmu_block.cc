#include "hwmodel/hw/sysmmu_block.h"

#include <cassert>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"
#include "harness/trace/trace.h"
#include "hwmodel/invariants/gated_register_access.h"

namespace probestorm::hwmodel {

namespace r = sysmmu_reg;

bool IsValidSysmmuVersion(int major) { return major == 1 || major == 3 || major == 5 || major == 7; }

uint32_t SysmmuVersionRegister(int major) {
  switch (major) {
    case 1: return r::kVersionV1Special;
    case 3: return r::MakeMmuVer(3, 3) << 21;
    case 5: return r::MakeMmuVer(5, 0) << 21;
    case 7: return r::MakeMmuVer(7, 0) << 21;
    default: return 0;
  }
}

const r::Variant& SysmmuVariant(int major, bool vm) {
  if (major < 5) return r::kV1Variant;
  if (major < 7) return r::kV5Variant;
  return vm ? r::kV7VmVariant : r::kV7Variant;
}

std::string SysmmuRegName(int major, uint32_t offset, bool vm) {
  switch (offset) {
    case r::kMmuCtrl: return "MMU_CTRL";
    case r::kMmuCfg: return "MMU_CFG";
    case r::kMmuStatus: return "MMU_STATUS";
    case r::kMmuVersion: return "MMU_VERSION";
    default: break;
  }
  const r::Variant& v = SysmmuVariant(major, vm);
  if (offset == v.pt_base) return "PT_BASE";
  if (offset == v.flush_all) return "FLUSH_ALL";
  if (offset == v.flush_entry) return "FLUSH_ENTRY";
  if (offset == v.flush_range) return "FLUSH_RANGE";
  if (offset == v.flush_start) return "FLUSH_START";
  if (offset == v.flush_end) return "FLUSH_END";
  if (offset == v.int_status) return "INT_STATUS";
  if (offset == v.int_clear) return "INT_CLEAR";
  if (offset == v.fault_info) return "FAULT_INFO";
  if (offset == v.fault_va) return "FAULT_VA";
  if (major < 5) {
    if (offset == r::kPageFaultAddr) return "PAGE_FAULT_ADDR";
    if (offset == r::kAwFaultAddr) return "AW_FAULT_ADDR";
    if (offset == r::kArFaultAddr) return "AR_FAULT_ADDR";
    if (offset == r::kDefaultSlaveAddr) return "DEFAULT_SLAVE_ADDR";
  } else if (!vm) {
    if (offset == r::kV5FaultArVa) return "FAULT_AR_VA";
    if (offset == r::kV5FaultAwVa) return "FAULT_AW_VA";
  }
  if (major >= 7) {
    if (offset == r::kV7Capa0) return "CAPA0";
    if (offset == r::kV7Capa1) return "CAPA1";
    if (offset == r::kV7CtrlVm) return "CTRL_VM";
  }
  return absl::StrFormat("0x%03x", offset);
}

const char* SysmmuFaultName(SysmmuFault f) {
  switch (f) {
    case SysmmuFault::kNone: return "none";
    case SysmmuFault::kPtw: return "PTW";
    case SysmmuFault::kPage: return "PAGE";
    case SysmmuFault::kAccess: return "ACCESS PROTECTION";
    case SysmmuFault::kBusError: return "BUS ERROR";
    case SysmmuFault::kMultiHit: return "MULTI-HIT";
  }
  return "?";
}

namespace {

// 2-bit permission (0 none, 1 R, 2 W, 3 RW) from an entry's protection bits.
uint8_t DecodeProt(uint32_t entry, bool v5, bool lv1) {
  if (v5) return static_cast<uint8_t>((entry >> (lv1 ? 4 : 2)) & 3);
  // v1..v3: AP bit (lv1 10 / lv2 4) enables access, RO bit (lv1 15 / lv2 9) restricts it to read.
  const bool ap = (entry >> (lv1 ? 10 : 4)) & 1;
  const bool ro = (entry >> (lv1 ? 15 : 9)) & 1;
  if (!ap) return 0;
  return ro ? 1 : 3;
}

bool ProtAllows(uint8_t prot, bool write) { return (prot & (write ? 2 : 1)) != 0; }

}  // namespace

SysmmuBlock::SysmmuBlock(std::string device_name, SysmmuBlockOptions options, PhysMemory* memory,
                         std::vector<GateClock> clocks, PowerDomain* domain, harness::Rng rng)
    : name_(std::move(device_name)),
      options_(options),
      variant_(&SysmmuVariant(options.version, options.vm)),
      memory_(memory),
      clocks_(std::move(clocks)),
      domain_(domain),
      rng_(rng),
      tlb_(static_cast<size_t>(options.tlb_entries > 0 ? options.tlb_entries : 1)),
      flpd_(static_cast<size_t>(options.flpd_entries > 0 ? options.flpd_entries : 1)) {
  assert(IsValidSysmmuVersion(options.version));
  assert(!options.vm || options.version == 7);
  if (domain_ != nullptr) seen_power_offs_ = domain_->power_off_count();
}

int SysmmuBlock::pg_ent_shift() const {
  return options_.version >= 5 ? r::kPgEntShiftV5 : r::kPgEntShiftV1;
}

// ---- observers

bool SysmmuBlock::enabled() const {
  harness::RawLockGuard g(mu_);
  return (ctrl_ & r::kCtrlEnableBit) != 0;
}
bool SysmmuBlock::blocked() const {
  harness::RawLockGuard g(mu_);
  return (ctrl_ & r::kCtrlEnableBit) != 0 && (ctrl_ & r::kCtrlBlockBit) != 0;
}
PhysAddr SysmmuBlock::pt_base() const {
  harness::RawLockGuard g(mu_);
  return options_.version >= 5 ? PhysAddr{pt_base_reg_} << 12 : PhysAddr{pt_base_reg_};
}
uint32_t SysmmuBlock::int_status() const {
  harness::RawLockGuard g(mu_);
  return int_status_;
}
bool SysmmuBlock::Clocked() const {
  harness::RawLockGuard g(mu_);
  return GateProblemLocked().empty();
}
uint64_t SysmmuBlock::tlb_hits() const {
  harness::RawLockGuard g(mu_);
  return tlb_hits_;
}
uint64_t SysmmuBlock::tlb_misses() const {
  harness::RawLockGuard g(mu_);
  return tlb_misses_;
}
uint64_t SysmmuBlock::irqs_raised() const {
  harness::RawLockGuard g(mu_);
  return irqs_raised_;
}
uint64_t SysmmuBlock::gated_accesses() const {
  harness::RawLockGuard g(mu_);
  return gated_accesses_;
}

// ---- power and gating

void SysmmuBlock::SyncPowerLocked() {
  if (domain_ == nullptr) return;
  const uint64_t offs = domain_->power_off_count();
  if (offs == seen_power_offs_) return;
  seen_power_offs_ = offs;
  ResetLocked();
}

void SysmmuBlock::ResetLocked() {
  ctrl_ = cfg_ = ctrl_vm_ = pt_base_reg_ = int_status_ = 0;
  fault_ar_ = fault_aw_ = fault_page_ = fault_slave_ = fault_va_ = fault_info_ = 0;
  flush_start_ = flush_end_ = 0;
  block_reads_left_ = 0;
  for (auto& t : tlb_) t = TlbEntry{};
  for (auto& f : flpd_) f.valid = false;
}

std::string SysmmuBlock::GateProblemLocked() const {
  for (const GateClock& c : clocks_) {
    if (c.gate != nullptr && !c.gate->enabled()) return absl::StrCat(" with clock ", c.con_id, " gated");
  }
  if (domain_ != nullptr && !domain_->on()) {
    return absl::StrCat(" with power domain ", domain_->name(), " off");
  }
  return {};
}

// ---- MMIO

uint32_t SysmmuBlock::readl(uint32_t offset) {
  harness::Engine& e = harness::Engine::Current();
  e.Point(harness::PointKind::kShared);
  std::string problem;
  uint32_t value = 0;
  {
    harness::RawLockGuard g(mu_);
    SyncPowerLocked();
    problem = GateProblemLocked();
    if (problem.empty()) {
      value = ReadLocked(offset);
    } else {
      ++gated_accesses_;
    }
  }
  if (!problem.empty()) {
    const std::string msg = absl::StrFormat("%s: readl of %s (0x%03x)%s", name_,
                                            SysmmuRegName(options_.version, offset, options_.vm), offset,
                                            problem);
    harness::TraceLog(name_, "readl", msg);
    invariants::OnGatedRegisterAccess(name_, msg);
  }
  return value;
}

void SysmmuBlock::writel(uint32_t offset, uint32_t value) {
  harness::Engine& e = harness::Engine::Current();
  e.Point(harness::PointKind::kShared);
  std::string problem;
  bool raise = false;
  {
    harness::RawLockGuard g(mu_);
    SyncPowerLocked();
    problem = GateProblemLocked();
    if (problem.empty()) {
      WriteLocked(offset, value);
      raise = ShouldRaiseIrqLocked();
    } else {
      ++gated_accesses_;
    }
  }
  const std::string reg = SysmmuRegName(options_.version, offset, options_.vm);
  if (!problem.empty()) {
    const std::string msg =
        absl::StrFormat("%s: writel of %s (0x%03x) = 0x%x%s", name_, reg, offset, value, problem);
    harness::TraceLog(name_, "writel", msg);
    invariants::OnGatedRegisterAccess(name_, msg);
    return;
  }
  harness::TraceLog(name_, "writel", absl::StrFormat("%s = 0x%x", reg, value));
  if (raise) RaiseIrq();
}

uint32_t SysmmuBlock::ReadLocked(uint32_t offset) {
  const r::Variant& v = *variant_;
  const int ver = options_.version;
  switch (offset) {
    case r::kMmuCtrl: return ctrl_;
    case r::kMmuCfg: return cfg_;
    case r::kMmuStatus: {
      const bool blocking = (ctrl_ & r::kCtrlEnableBit) && (ctrl_ & r::kCtrlBlockBit);
      if (!blocking) return 0;
      // The block drains outstanding transactions: visible on the N-th poll (sysmmu_block()).
      if (block_reads_left_ > 1) {
        --block_reads_left_;
        return 0;
      }
      block_reads_left_ = 0;
      return r::kStatusBlocked;
    }
    case r::kMmuVersion: return SysmmuVersionRegister(ver);
    default: break;
  }
  if (offset == v.pt_base) return pt_base_reg_;
  if (offset == v.int_status) return int_status_;
  if (offset == v.flush_start) return flush_start_;
  if (offset == v.flush_end) return flush_end_;
  if (offset == v.fault_va) return fault_va_;
  if (offset == v.fault_info) return fault_info_;
  if (ver < 5) {
    if (offset == r::kPageFaultAddr) return fault_page_;
    if (offset == r::kAwFaultAddr) return fault_aw_;
    if (offset == r::kArFaultAddr) return fault_ar_;
    if (offset == r::kDefaultSlaveAddr) return fault_slave_;
  } else if (!options_.vm) {
    if (offset == r::kV5FaultArVa) return fault_ar_;
    if (offset == r::kV5FaultAwVa) return fault_aw_;
  }
  if (ver >= 7) {
    if (offset == r::kV7Capa0) return r::kCapa0Capa1Exist;
    if (offset == r::kV7Capa1) return options_.vm ? r::kCapa1VcrEnabled : 0;
    if (options_.vm && offset == r::kV7CtrlVm) return ctrl_vm_;
  }
  return 0;  // write-only (flush, INT_CLEAR) or unknown
}

void SysmmuBlock::WriteLocked(uint32_t offset, uint32_t value) {
  const r::Variant& v = *variant_;
  if (offset == r::kMmuCtrl) {
    const bool was_blocking = (ctrl_ & r::kCtrlEnableBit) && (ctrl_ & r::kCtrlBlockBit);
    ctrl_ = value;
    const bool blocking = (ctrl_ & r::kCtrlEnableBit) && (ctrl_ & r::kCtrlBlockBit);
    if (blocking && !was_blocking) {
      block_reads_left_ = static_cast<int>(
          rng_.Between(options_.block_polls_min, options_.block_polls_max));
    } else if (!blocking) {
      block_reads_left_ = 0;
    }
    return;
  }
  if (offset == r::kMmuCfg) {
    cfg_ = value;
    return;
  }
  if (options_.vm && offset == r::kV7CtrlVm) {
    ctrl_vm_ = value & (r::kCtrlVmEnable | r::kCtrlVmFaultModeStall);
    return;
  }
  if (offset == v.pt_base) {
    pt_base_reg_ = value;  // no implicit flush: the driver must FLUSH_ALL
    return;
  }
  if (offset == v.flush_all) {
    InvalidateLocked(0, uint64_t{1} << 32);
    return;
  }
  if (offset == v.flush_entry) {
    const uint64_t va = value & ~0xFFFu;
    InvalidateLocked(va, va + kPageSize);
    return;
  }
  if (offset == v.flush_start) {
    flush_start_ = value;
    return;
  }
  if (offset == v.flush_end) {
    flush_end_ = value;
    return;
  }
  if (offset == v.flush_range) {
    const uint64_t start = flush_start_ & ~0xFFFu;
    const uint64_t end = uint64_t{flush_end_ & ~0xFFFu} + kPageSize;
    if (end > start) InvalidateLocked(start, end);
    return;
  }
  if (offset == v.int_clear) {
    int_status_ &= ~value;  // write-1-to-clear
    return;
  }
  // Read-only (STATUS, VERSION, INT_STATUS, fault addresses, CAPA) or unknown: ignored.
}

void SysmmuBlock::CacheLocked(const TlbEntry& entry) {
  const size_t slot = tlb_next_;
  tlb_next_ = (tlb_next_ + 1) % tlb_.size();
  TlbEntry& n = tlb_[slot];
  n = entry;
  n.overlap = false;
  const uint64_t lo = n.va;
  const uint64_t hi = lo + (uint64_t{1} << n.shift);
  for (size_t i = 0; i < tlb_.size(); ++i) {
    TlbEntry& t = tlb_[i];
    if (i == slot || !t.valid) continue;
    const uint64_t tlo = t.va;
    const uint64_t thi = tlo + (uint64_t{1} << t.shift);
    if (tlo < hi && lo < thi) n.overlap = t.overlap = true;
  }
}

bool SysmmuBlock::MultiHitLocked(Iova iova) const {
  int matches = 0;
  for (const TlbEntry& t : tlb_) {
    if (t.valid && ((iova ^ t.va) >> t.shift) == 0) ++matches;
  }
  return matches > 1;
}

void SysmmuBlock::InvalidateLocked(uint64_t start, uint64_t end) {
  for (TlbEntry& t : tlb_) {
    if (!t.valid) continue;
    const uint64_t lo = t.va;
    const uint64_t hi = lo + (uint64_t{1} << t.shift);
    if (lo < end && start < hi) t.valid = false;
  }
  // TLB invalidation by VPN also invalidates the FLPD cache entry of that 1 MiB (exynos-iommu.c
  // sysmmu_tlb_invalidate_flpdcache relies on it).
  for (FlpdEntry& f : flpd_) {
    if (!f.valid) continue;
    const uint64_t lo = uint64_t{f.section} << 20;
    const uint64_t hi = lo + (uint64_t{1} << 20);
    if (lo < end && start < hi) f.valid = false;
  }
}

// ---- interrupt

bool SysmmuBlock::ShouldRaiseIrqLocked() {
  if (int_status_ == 0 || !irq_handler_ || irq_in_flight_) return false;
  irq_in_flight_ = true;
  ++irqs_raised_;
  return true;
}

void SysmmuBlock::SetIrqHandler(std::function<void()> handler) {
  bool raise = false;
  {
    harness::RawLockGuard g(mu_);
    irq_handler_ = std::move(handler);
    raise = ShouldRaiseIrqLocked();
  }
  if (raise) RaiseIrq();
}

void SysmmuBlock::RaiseIrq() {
  harness::Spawn(absl::StrCat("irq/", name_), [this] {
    std::function<void()> handler;
    {
      harness::RawLockGuard g(mu_);
      irq_in_flight_ = false;
      handler = irq_handler_;
    }
    harness::TraceLog(name_, "irq", "SysMMU interrupt");
    if (handler) handler();
    // Level-triggered line still asserted after the handler: the kernel would disable it
    // ("nobody cared"); the model does not re-run the handler.
    harness::RawLockGuard g(mu_);
    if (int_status_ != 0 && handler) {
      harness::TraceLog(name_, "irq", absl::StrFormat("INT_STATUS 0x%x still set after handler",
                                                      int_status_));
    }
  });
}

// ---- translation

TranslateResult SysmmuBlock::Translate(Iova iova, bool write) {
  harness::Engine& e = harness::Engine::Current();
  e.Point(harness::PointKind::kShared);
  TranslateResult res;
  bool raise = false;
  {
    harness::RawLockGuard g(mu_);
    SyncPowerLocked();
    if (!(ctrl_ & r::kCtrlEnableBit)) {
      res.kind = TranslateResult::Kind::kBypass;
      res.phys = iova;
      return res;
    }
    // Unclocked: no translation happens; modelled as bypass (see sysmmu_block.h).
    for (const GateClock& c : clocks_) {
      if (c.gate != nullptr && !c.gate->enabled()) {
        res.kind = TranslateResult::Kind::kBypass;
        res.phys = iova;
        res.detail = absl::StrCat("clock ", c.con_id, " gated");
        return res;
      }
    }
    if (domain_ != nullptr && !domain_->on()) {
      res.kind = TranslateResult::Kind::kBypass;
      res.phys = iova;
      res.detail = absl::StrCat("power domain ", domain_->name(), " off");
      return res;
    }
    if (options_.vm && !(ctrl_vm_ & r::kCtrlVmEnable)) {
      res.kind = TranslateResult::Kind::kBypass;
      res.phys = iova;
      res.detail = "VM context 0 disabled (CTRL_VM)";
      return res;
    }
    if (ctrl_ & r::kCtrlBlockBit) {
      res.kind = TranslateResult::Kind::kStalled;
      res.detail = "blocked";
      return res;
    }
    if (int_status_ != 0) {
      res.kind = TranslateResult::Kind::kStalled;
      res.detail = absl::StrFormat("fault pending, INT_STATUS 0x%x", int_status_);
      return res;
    }
    // TLB: the last hit first, then every entry.
    const bool eap = (cfg_ & r::kCfgEap) != 0;
    auto hit = [&](size_t i) {
      const TlbEntry& t = tlb_[i];
      return t.valid && ((iova ^ t.va) >> t.shift) == 0;
    };
    size_t found = tlb_.size();
    if (hit(tlb_last_hit_)) {
      found = tlb_last_hit_;
    } else {
      for (size_t i = 0; i < tlb_.size(); ++i) {
        if (hit(i)) {
          found = i;
          break;
        }
      }
    }
    if (found != tlb_.size()) {
      const TlbEntry& t = tlb_[found];
      tlb_last_hit_ = found;
      ++tlb_hits_;
      if (t.overlap && MultiHitLocked(iova)) {
        res.kind = TranslateResult::Kind::kFault;
        res.fault = SysmmuFault::kMultiHit;
        res.tlb_hit = true;
        res.detail = absl::StrFormat("two TLB entries match 0x%08x (a stale entry left by a missing "
                                     "flush under a newer one)", iova);
        raise = LatchFaultLocked(iova, write, res.fault);
      } else if (eap && !ProtAllows(t.prot, write)) {
        res.kind = TranslateResult::Kind::kFault;
        res.fault = SysmmuFault::kAccess;
        res.tlb_hit = true;
        res.detail = absl::StrFormat("TLB entry for 0x%08x denies %s", iova, write ? "write" : "read");
        raise = LatchFaultLocked(iova, write, res.fault);
      } else {
        res.kind = TranslateResult::Kind::kTranslated;
        res.tlb_hit = true;
        res.phys = t.pa + (iova & ((uint32_t{1} << t.shift) - 1));
        return res;
      }
    } else {
      ++tlb_misses_;
      res = WalkLocked(iova, write);
      if (res.kind == TranslateResult::Kind::kFault) raise = LatchFaultLocked(iova, write, res.fault);
    }
  }
  if (raise) RaiseIrq();
  return res;
}

TranslateResult SysmmuBlock::WalkLocked(Iova iova, bool write) {
  TranslateResult res;
  res.kind = TranslateResult::Kind::kFault;
  const bool v5 = options_.version >= 5;
  const int shift = pg_ent_shift();
  const SysmmuFault garbage = v5 ? SysmmuFault::kPtw : SysmmuFault::kBusError;
  const bool eap = (cfg_ & r::kCfgEap) != 0;
  const PhysAddr pt = v5 ? PhysAddr{pt_base_reg_} << 12 : PhysAddr{pt_base_reg_};
  const uint32_t section = iova >> 20;

  // Walks through memory that is not a page table read garbage; say what it is.
  auto check_table = [&](PhysAddr table, const char* what, const std::string& via) -> bool {
    const std::string owner = memory_->Owner(table);
    if (IsPageTableOwner(owner)) return true;
    res.fault = garbage;
    if (owner.empty()) {
      res.detail = absl::StrFormat("%s points at unallocated memory 0x%x%s", what, table, via);
    } else {
      res.detail = absl::StrFormat("%s points at 0x%x owned by '%s', not a page table%s", what,
                                   table, owner, via);
    }
    return false;
  };

  // The lv1 entry: from the FLPD cache (v3.3+ with CFG_FLPDCACHE, lv2 links only) or memory.
  const bool flpd_on = options_.version >= 3 && (cfg_ & r::kCfgFlpdCache) != 0;
  uint32_t lv1 = 0;
  bool lv1_cached = false;
  if (flpd_on) {
    for (const FlpdEntry& f : flpd_) {
      if (f.valid && f.section == section) {
        lv1 = f.lv1;
        lv1_cached = true;
        break;
      }
    }
  }
  const PhysAddr lv1_addr = pt + PhysAddr{section} * 4;
  if (!lv1_cached) {
    if (!check_table(pt, "PT_BASE", "")) return res;
    lv1 = memory_->Read32(lv1_addr);
  }
  const std::string lv1_desc = absl::StrFormat("lv1[0x%03x]=0x%08x%s", section, lv1,
                                               lv1_cached ? " (FLPD cache)" : "");
  switch (lv1 & 3) {
    case 2: {  // 1 MiB section
      const uint8_t prot = DecodeProt(lv1, v5, true);
      if (eap && !ProtAllows(prot, write)) {
        res.fault = SysmmuFault::kAccess;
        res.detail = absl::StrFormat("%s section denies %s", lv1_desc, write ? "write" : "read");
        return res;
      }
      const PhysAddr pa = (PhysAddr{lv1} << shift) & ~PhysAddr{0xFFFFF};
      CacheLocked({true, iova & ~0xFFFFFu, 20, prot, pa});
      res.kind = TranslateResult::Kind::kTranslated;
      res.phys = pa + (iova & 0xFFFFF);
      return res;
    }
    case 1: {  // lv2 link
      const PhysAddr lv2_base = PhysAddr{lv1 & 0xFFFFFFC0u} << shift;
      if (!check_table(lv2_base, "lv1 entry",
                       lv2_base < memory_->base() ? ", was the zero lv2 table NULL?" : "")) {
        res.detail = absl::StrCat(lv1_desc, ": ", res.detail);
        return res;
      }
      if (flpd_on && !lv1_cached) {
        flpd_[flpd_next_] = {true, section, lv1};
        flpd_next_ = (flpd_next_ + 1) % flpd_.size();
      }
      const uint32_t idx = (iova >> 12) & 0xFF;
      const uint32_t lv2 = memory_->Read32(lv2_base + PhysAddr{idx} * 4);
      if ((lv2 & 3) == 0) {
        res.fault = SysmmuFault::kPage;
        const std::string owner = memory_->Owner(lv2_base);
        const bool zero_table = owner.find("zero") != std::string::npos;
        res.detail = absl::StrFormat("%s -> lv2[0x%02x]=0x%08x is a fault entry (table 0x%x '%s')%s",
                                     lv1_desc, idx, lv2, lv2_base, owner,
                                     zero_table ? ", lv1 entry is zero lv2 link" : "");
        return res;
      }
      const bool small = (lv2 & 2) != 0;
      const uint8_t prot = DecodeProt(lv2, v5, false);
      if (eap && !ProtAllows(prot, write)) {
        res.fault = SysmmuFault::kAccess;
        res.detail = absl::StrFormat("%s -> lv2[0x%02x]=0x%08x denies %s", lv1_desc, idx, lv2,
                                     write ? "write" : "read");
        return res;
      }
      const uint8_t page_shift = small ? 12 : 16;
      const PhysAddr pa = (PhysAddr{lv2} << shift) & ~((PhysAddr{1} << page_shift) - 1);
      CacheLocked({true, iova & ~((uint32_t{1} << page_shift) - 1), page_shift, prot, pa});
      res.kind = TranslateResult::Kind::kTranslated;
      res.phys = pa + (iova & ((uint32_t{1} << page_shift) - 1));
      return res;
    }
    default:
      res.fault = SysmmuFault::kPage;
      res.detail = absl::StrCat(lv1_desc, " is a fault entry");
      return res;
  }
}

bool SysmmuBlock::LatchFaultLocked(Iova iova, bool write, SysmmuFault fault) {
  int bit = 0;
  if (options_.version < 5) {
    switch (fault) {
      case SysmmuFault::kPage:
        bit = r::kV1IntPage;
        fault_page_ = iova;
        break;
      case SysmmuFault::kAccess:
        bit = write ? r::kV1IntAwAccess : r::kV1IntArAccess;
        (write ? fault_aw_ : fault_ar_) = iova;
        break;
      case SysmmuFault::kMultiHit:
        bit = write ? r::kV1IntAwMultiHit : r::kV1IntArMultiHit;
        (write ? fault_aw_ : fault_ar_) = iova;
        break;
      default:  // kBusError, kPtw
        bit = r::kV1IntBusError;
        fault_slave_ = iova;
        break;
    }
  } else {
    switch (fault) {
      case SysmmuFault::kPage: bit = r::kV5IntPage; break;
      case SysmmuFault::kAccess: bit = r::kV5IntAccess; break;
      case SysmmuFault::kMultiHit: bit = r::kV5IntMultiHit; break;
      default: bit = r::kV5IntPtw; break;
    }
    if (write) bit += r::kV5IntAwOffset;
    (write ? fault_aw_ : fault_ar_) = iova;
    fault_va_ = iova;
    fault_info_ = write ? r::kV7FaultInfoWrite : 0;
  }
  int_status_ |= uint32_t{1} << bit;
  return ShouldRaiseIrqLocked();
}

}  // namespace probestorm::hwmodel
