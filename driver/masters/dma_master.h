// DMA master drivers: one generic platform-driver model for every device with `iommus`
// (display controllers, scalers, codecs, cameras ...), parameterised by compatible. It stands for
// drivers/gpu/drm/exynos/exynos5433_drm_decon.c, drivers/media/platform/samsung/exynos-gsc,
// s5p-mfc, s5p-jpeg, exynos4-is ... reduced to what the IOMMU races see: probe takes clocks and a
// runtime-PM reference, allocates DMA buffers through dev->dma_ops (dma-direct: DMA address =
// physical; IOMMU: IOVA from the domain + map) and starts a daemon traffic task that accesses the
// buffers through the hardware model's DmaEngine at intervals of virtual time while bound, so a
// domain attached or ops changed under a bound master shows up as `sysmmu-fault`.
//
// Known families, by the kernel's driver name and of_match_table: exynos5433-decon, exynos-decon
// (decon7), exynos4-fb (fimd), exynos-gsc, exynos-scaler (the DRM scaler of 5420/5433), s5p-mfc,
// s5p-jpeg, exynos-drm-g2d, exynos4-fimc-is, exynos4-fimc, exynos-rotator; plus "dma-master",
// which matches the first compatible of every other node with `iommus` on the board, so any board
// (and synthetic masters) work.
// Async probing per knobs.AsyncProbe(driver name) is decided by the driver core.
//
// Thread-safety: probe/remove run under the device lock; the traffic task reads the buffer list
// published before it starts and stops at `stop` (an Atomic).
#ifndef PROBESTORM_DRIVER_MASTERS_DMA_MASTER_H_
#define PROBESTORM_DRIVER_MASTERS_DMA_MASTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "driver/arch/dma_mapping.h"
#include "driver/base/device.h"
#include "driver/kernel.h"
#include "harness/sync/atomic.h"
#include "harness/sync/completion.h"
#include "harness/sync/wait_queue.h"
#include "harness/time.h"

namespace probestorm::kernel {

struct DmaMasterParams {
  int buffers = 2;                          // DMA buffers allocated at probe
  uint64_t buffer_size = 16 * 1024;         // bytes each
  harness::Nanos interval = 500 * harness::kMsec;  // between traffic rounds (jobs)
  bool write = true;                        // the device writes its buffers (else reads)
};

struct DmaBuffer {
  uint64_t phys = 0;
  uint64_t dma = 0;
  uint64_t size = 0;
  const DmaMapOps* ops = nullptr;           // the ops that mapped it (nullptr: dma-direct)
};

struct DmaMasterData {
  Device* dev = nullptr;
  DmaMasterParams params;
  std::vector<DmaBuffer> bufs;
  harness::Atomic<bool> stop{false};
  // The traffic task idles here between rounds; remove wakes it (the driver cancels its job
  // timer), so the wait for `stopped` does not depend on a daemon's timer firing.
  harness::WaitQueue idle{"dma traffic idle"};
  harness::Completion stopped{"dma traffic stopped"};  // the traffic task has ended
  uint64_t accesses = 0;                    // transactions issued (coverage)
  std::string family;
};

struct MastersState {
  explicit MastersState(Kernel& k);
  Kernel& kernel;
  std::vector<std::unique_ptr<DeviceDriver>> drivers;
  std::vector<DmaMasterData*> by_node;      // bound instance per DT node
};

MastersState& masters_state(Kernel& k);
// Built in (device_initcall "dma_masters_init") or module "dma-masters" at knobs.masters_load_time.
void dma_masters_register(Kernel& k);
// The platform driver callbacks (exposed for tests).
int dma_master_probe(Device* dev);
void dma_master_remove(Device* dev);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_MASTERS_DMA_MASTER_H_
