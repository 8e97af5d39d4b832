// DmaEngine: the bus-master side of one DMA-capable device (a DT node with `iommus`), used by
// traffic tasks to issue transactions the way the real device would after its driver handed it a
// DMA address.
//
// Access(addr, write, expected_phys, why) routes one transaction through the master's SysMMUs and
// checks where it landed:
//   * SysMMU choice: a master with k SysMMUs (k = number of `iommus` entries that are SysMMU
//     blocks) splits its traffic by address: index = (addr >> 20) % k — each 1 MiB of IOVA space
//     goes through one SysMMU, adjacent MiBs through different ones (the real split, e.g. the
//     DECON's two read ports, is by port; this keeps every SysMMU of a master busy and is
//     deterministic). A master with no SysMMU block goes straight to memory (phys = addr).
//   * If the translation faults, or lands on a page other than expected_phys's page (bypass of a
//     disabled SysMMU, stale TLB entry, wrong mapping), it reports
//     invariants::OnDmaMiss("13800000.decon: DMA write to 0x10000000
//     through 13a00000.sysmmu faulted (PAGE fault, lv1 entry is zero lv2 link); expected phys
//     0x20400000", devices {master, sysmmu}, detail = the walker's description + `why`).
//   * A stalled transaction (SysMMU blocked, or a previous fault not yet cleared) reports
//     nothing and returns kind kStalled: the caller retries or gives up.
//
// Thread-safety: thread-safe under both engines; Access is the SysMMU's single schedule point.
#ifndef PROBESTORM_HWMODEL_HW_DMA_ENGINE_H_
#define PROBESTORM_HWMODEL_HW_DMA_ENGINE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hwmodel/hw/phys_memory.h"
#include "hwmodel/hw/sysmmu_block.h"

namespace probestorm::hwmodel {

struct DmaResult {
  bool ok = false;                 // landed on expected_phys's page
  bool stalled = false;            // no transaction happened (see above)
  bool reported = false;           // a sysmmu-fault finding was reported
  int sysmmu_index = -1;           // index into DmaEngine::sysmmus(), -1 when none
  SysmmuBlock* sysmmu = nullptr;
  TranslateResult xlate;           // what the SysMMU did
  std::string message;             // the finding's message when !ok && !stalled
};

class DmaEngine {
 public:
  // `sysmmus` in `iommus` order; they must outlive the engine.
  DmaEngine(std::string master_name, std::vector<SysmmuBlock*> sysmmus)
      : name_(std::move(master_name)), sysmmus_(std::move(sysmmus)) {}
  DmaEngine(const DmaEngine&) = delete;
  DmaEngine& operator=(const DmaEngine&) = delete;

  DmaResult Access(Iova addr, bool write, PhysAddr expected_phys, std::string_view why);

  // Index of the SysMMU that carries `addr` ((addr >> 20) % k), -1 when the master has none.
  int SysmmuIndexFor(Iova addr) const;
  const std::string& name() const { return name_; }
  const std::vector<SysmmuBlock*>& sysmmus() const { return sysmmus_; }

 private:
  const std::string name_;
  const std::vector<SysmmuBlock*> sysmmus_;
};

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_HW_DMA_ENGINE_H_
