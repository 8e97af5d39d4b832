// Hardware: the simulated SoC of one run, built deterministically from a Board: DRAM
// (PhysMemory), one SysmmuBlock per SysMMU node, one ClockGate per distinct clock specifier, one
// PowerDomain per power-domain provider, one DmaEngine per master (node with `iommus`).
//
// Construction (setup code, before Run()):
//  * SysMMU blocks exist for every node in Board::sysmmus whatever its `status` (the silicon is
//    there even when the DT disables it). Each block is gated by all of its node's `clocks`
//    (con_id = the matching `clock-names` entry, else "clk<i>") and its first `power-domains`
//    entry (none: always on). Its random stream is forked from the model rng of the engine
//    current at construction ("hwmodel/sysmmu@<device name>"), or from Rng(1) without one.
//  * Clock gates: every clock specifier referenced by any node, keyed by (provider node, cells),
//    named "<provider node name>:<cells>" ("clock-controller@13b90000:45"); every gate starts
//    disabled (count 0). Power domains: every provider referenced by `power-domains`, named by
//    the provider node's name, ON with a boot reference. Specifier cells of power domains are
//    ignored (Exynos PDs have #power-domain-cells = 0).
//  * DMA engines: every node in Board::masters; their SysMMUs are the `iommus` entries that are
//    SysMMU blocks, in property order.
//
// Thread-safety: the accessors are thread-safe under both engines (clock() and power_domain()
// create unknown entries lazily under an internal harness::RawLock; creation is deterministic
// because it depends only on the key). The objects returned document their own contracts.
#ifndef PROBESTORM_HWMODEL_HW_HARDWARE_H_
#define PROBESTORM_HWMODEL_HW_HARDWARE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "harness/engine.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/hw/clock.h"
#include "hwmodel/hw/dma_engine.h"
#include "hwmodel/hw/phys_memory.h"
#include "hwmodel/hw/power_domain.h"
#include "hwmodel/hw/sysmmu_block.h"

namespace probestorm::hwmodel {

struct HardwareOptions {
  int sysmmu_version = 5;   // SysMMU major version of every block: 1, 3, 5 or 7; 0: the board's
                            // `probestorm,sysmmu-version` when it has one, else 5
  bool sysmmu_vm = false;   // v7 only: VM-capable blocks (CAPA1 VCR, the v7 VM register layout)
  int block_polls_min = 1;  // MMU_STATUS reads until a BLOCK shows: uniform in [min, max]
  int block_polls_max = 3;
  int tlb_entries = 32;     // per SysMMU
  PhysAddr ram_base = PhysMemory::kDefaultBase;
  uint64_t ram_size = PhysMemory::kDefaultSize;
};

// The SysMMU version a Hardware built from `options` on `board` has (resolves 0 as above).
int EffectiveSysmmuVersion(const HardwareOptions& options, const Board& board);
// kInvalidArgument naming the field for a bad version, poll range, TLB size or RAM layout, or
// sysmmu_vm with a version other than 7 (the version as resolved on `board`).
absl::Status ValidateHardwareOptions(const HardwareOptions& options, const Board& board);
// The same with an explicit version (0 is resolved to 5, as on a board without the property).
absl::Status ValidateHardwareOptions(const HardwareOptions& options);

class Hardware {
 public:
  // `board` must outlive the Hardware. REQUIRES: ValidateHardwareOptions(options, board).ok().
  // options().sysmmu_version is the effective version afterwards.
  Hardware(const Board& board, HardwareOptions options = {});
  Hardware(const Hardware&) = delete;
  Hardware& operator=(const Hardware&) = delete;

  PhysMemory& memory() { return memory_; }
  // SysMMU node index -> block; nullptr when the node is not a SysMMU.
  SysmmuBlock* sysmmu(int node);
  // The gate for one clock specifier (provider node, cells); created on first use.
  ClockGate* clock(int provider_node, std::vector<uint32_t> cells);
  ClockGate* clock(const PhandleRef& ref) { return clock(ref.node, ref.args); }
  // The domain of a power-domain provider node; created on first use; nullptr for kNoNode or an
  // index outside the board.
  PowerDomain* power_domain(int node);
  // Master node index -> DMA engine; nullptr when the node has no `iommus`.
  DmaEngine* dma_engine(int master_node);
  const Board& board() const { return board_; }
  const HardwareOptions& options() const { return options_; }

  // The clocks and power domain gating a node, as resolved at construction (any node).
  std::vector<SysmmuBlock::GateClock> NodeClocks(int node);
  PowerDomain* NodePowerDomain(int node);

 private:
  using ClockKey = std::pair<int, std::vector<uint32_t>>;

  const Board& board_;
  const HardwareOptions options_;
  PhysMemory memory_;
  harness::RawLock mu_;  // lazy creation
  std::map<ClockKey, std::unique_ptr<ClockGate>> clocks_ ABSL_GUARDED_BY(mu_);
  std::map<int, std::unique_ptr<PowerDomain>> domains_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<SysmmuBlock>> sysmmus_;  // by node index
  std::vector<std::unique_ptr<DmaEngine>> dma_;         // by node index
};

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_HW_HARDWARE_H_
