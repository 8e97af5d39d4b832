#include "hwmodel/hw/dma_engine.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"
#include "harness/trace/trace.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::hwmodel {

int DmaEngine::SysmmuIndexFor(Iova addr) const {
  if (sysmmus_.empty()) return -1;
  return static_cast<int>((addr >> 20) % sysmmus_.size());
}

DmaResult DmaEngine::Access(Iova addr, bool write, PhysAddr expected_phys, std::string_view why) {
  DmaResult res;
  res.sysmmu_index = SysmmuIndexFor(addr);
  if (res.sysmmu_index < 0) {
    res.xlate.kind = TranslateResult::Kind::kBypass;
    res.xlate.phys = addr;
  } else {
    res.sysmmu = sysmmus_[static_cast<size_t>(res.sysmmu_index)];
    res.xlate = res.sysmmu->Translate(addr, write);
  }
  if (res.xlate.kind == TranslateResult::Kind::kStalled) {
    res.stalled = true;
    return res;
  }
  const bool landed = res.xlate.ok() && (res.xlate.phys >> kPageShift) == (expected_phys >> kPageShift);
  if (landed) {
    res.ok = true;
    return res;
  }
  const char* dir = write ? "write" : "read";
  const std::string through =
      res.sysmmu != nullptr ? absl::StrCat(" through ", res.sysmmu->device_name()) : std::string();
  if (res.xlate.kind == TranslateResult::Kind::kFault) {
    res.message = absl::StrFormat("%s: DMA %s to 0x%08x%s faulted (%s fault, %s); expected phys 0x%x",
                                  name_, dir, addr, through, SysmmuFaultName(res.xlate.fault),
                                  res.xlate.detail, expected_phys);
  } else {
    const char* how = res.xlate.kind == TranslateResult::Kind::kBypass
                          ? (res.sysmmu != nullptr ? "bypassed (SysMMU not translating" : "went direct (no SysMMU")
                          : (res.xlate.tlb_hit ? "translated (TLB hit" : "translated (page walk");
    const std::string extra = res.xlate.detail.empty() ? std::string() : absl::StrCat(": ", res.xlate.detail);
    res.message = absl::StrFormat(
        "%s: DMA %s to 0x%08x%s %s%s) and landed on phys page 0x%x; expected phys 0x%x (page 0x%x)",
        name_, dir, addr, through, how, extra, res.xlate.phys & ~(kPageSize - 1), expected_phys,
        expected_phys & ~(kPageSize - 1));
  }
  std::vector<std::string> devices{name_};
  if (res.sysmmu != nullptr) devices.push_back(res.sysmmu->device_name());
  harness::TraceLog(name_, "dma", res.message);
  res.reported = invariants::OnDmaMiss(res.message, std::move(devices),
                                       absl::StrCat("why: ", Av(why), "\n", res.xlate.detail));
  return res;
}

}  // namespace probestorm::hwmodel
