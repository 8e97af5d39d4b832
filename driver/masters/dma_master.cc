// Models the DMA-master side of Exynos media/display drivers (see dma_master.h); no single kernel
// file. Deliberate divergences: no real device function; buffers are mapped once at probe with
// dma_map_single semantics and kept until remove; traffic is a few transactions per round.
#include "driver/masters/dma_master.h"

#include <algorithm>
#include <exception>

#include "absl/strings/str_cat.h"
#include "driver/base/driver.h"
#include "driver/base/pm_runtime.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/invariants/iommu_bypass.h"
#include "driver/iommu/iommu.h"
#include "harness/trace/trace.h"
#include "hwmodel/hw/hardware.h"

namespace probestorm::kernel {

using harness::TraceLog;

namespace {

struct Family {
  const char* driver;
  std::vector<std::string> compatibles;
  DmaMasterParams params;
};

const std::vector<Family>& Families() {
  // Driver names and compatibles as the kernel's platform_driver.driver.name and of_match_table
  // (v6.1): exynos5433_drm_decon.c, exynos7_drm_decon.c, exynos_drm_fimd.c, exynos-gsc,
  // exynos_drm_scaler.c, s5p-mfc, s5p-jpeg, exynos_drm_g2d.c, exynos4-is (fimc-is, fimc),
  // exynos_drm_rotator.c.
  constexpr DmaMasterParams kDisplay = {3, 16 * 1024, 250 * harness::kMsec, false};
  constexpr DmaMasterParams kM2m = {2, 16 * 1024, 500 * harness::kMsec, true};
  constexpr DmaMasterParams kSmall = {2, 8 * 1024, 750 * harness::kMsec, true};
  static const std::vector<Family> f = {
      {"exynos5433-decon", {"samsung,exynos5433-decon", "samsung,exynos5433-decon-tv"}, kDisplay},
      {"exynos-decon", {"samsung,exynos7-decon"}, kDisplay},
      {"exynos4-fb",
       {"samsung,s5pv210-fimd", "samsung,exynos3250-fimd", "samsung,exynos4210-fimd", "samsung,exynos5250-fimd",
        "samsung,exynos5420-fimd"},
       kDisplay},
      {"exynos-gsc",
       {"samsung,exynos5250-gsc", "samsung,exynos5420-gsc", "samsung,exynos5433-gsc", "samsung,exynos5-gsc"},
       kM2m},
      {"exynos-scaler", {"samsung,exynos5420-scaler", "samsung,exynos5433-scaler"}, kM2m},
      {"s5p-mfc",
       {"samsung,mfc-v5", "samsung,mfc-v6", "samsung,mfc-v7", "samsung,mfc-v8", "samsung,exynos5433-mfc",
        "samsung,mfc-v10"},
       kM2m},
      {"s5p-jpeg",
       {"samsung,s5pv210-jpeg", "samsung,exynos4210-jpeg", "samsung,exynos4212-jpeg", "samsung,exynos5420-jpeg",
        "samsung,exynos5433-jpeg", "samsung,exynos3250-jpeg"},
       kSmall},
      {"exynos-drm-g2d", {"samsung,exynos5250-g2d", "samsung,exynos4212-g2d"}, kSmall},
      {"exynos4-fimc-is", {"samsung,exynos4212-fimc-is"}, kSmall},
      {"exynos4-fimc", {"samsung,s5pv210-fimc", "samsung,exynos4210-fimc", "samsung,exynos4212-fimc"}, kM2m},
      {"exynos-rotator",
       {"samsung,s5pv210-rotator", "samsung,exynos4210-rotator", "samsung,exynos4212-rotator",
        "samsung,exynos5250-rotator"},
       kSmall},
  };
  return f;
}

DmaMasterParams ParamsFor(Device* dev, std::string* family) {
  for (const Family& f : Families()) {
    for (const std::string& c : f.compatibles) {
      if (dev->np->IsCompatible(c)) {
        *family = f.driver;
        return f.params;
      }
    }
  }
  *family = "dma-master";
  return DmaMasterParams{};
}

void TrafficTask(Device* dev, DmaMasterData* m) {
  // Tells dma_master_remove the task is gone. Not when the engine unwinds the task because the
  // run is ending (a stop at a violation, or daemons killed at the end): nobody waits then, and
  // the engine no longer runs this task.
  struct Done {
    DmaMasterData* m;
    ~Done() noexcept(false) {
      if (std::uncaught_exceptions() == 0) m->stopped.CompleteAll();
    }
  } done{m};
  hwmodel::DmaEngine* engine = dev->kernel->hw ? dev->kernel->hw->dma_engine(dev->of_node) : nullptr;
  if (engine == nullptr) return;
  while (!m->stop.Load()) {
    m->idle.WaitEventTimeout([m] { return m->stop.Peek(); }, m->params.interval);
    if (m->stop.Load()) break;
    // Each burst runs between pm_runtime_get_sync and pm_runtime_put, as media drivers do per job:
    // the resume is where a SysMMU that got a domain attached while the master was idle (S6) is
    // programmed (PM_RUNTIME device link -> exynos_sysmmu_resume) and starts translating the
    // addresses this driver obtained earlier.
    pm_runtime_get_sync(dev);
    bool stop = false;
    for (const DmaBuffer& b : m->bufs) {
      // What a fault report says the access was (text for a report only: built once a buffer).
      const std::string why =
          absl::StrCat(dev->name, " DMA to a buffer mapped through ", DmaOpsName(b.ops));
      // One transaction per 4 KiB page of the buffer: through every SysMMU of a multi-SysMMU
      // master when the buffers straddle MiBs, and every page's mapping is exercised.
      for (uint64_t off = 0; off < b.size; off += 4096) {
        const hwmodel::DmaResult r = engine->Access(static_cast<hwmodel::Iova>(b.dma + off),
                                                    m->params.write, b.phys + off, why);
        ++m->accesses;
        if (r.reported || m->stop.Load()) {
          stop = true;
          break;
        }
      }
      if (stop) break;
    }
    pm_runtime_put(dev);
    if (stop) return;
  }
}

}  // namespace

MastersState::MastersState(Kernel& k) : kernel(k), by_node(k.board.nodes.size(), nullptr) {}

MastersState& masters_state(Kernel& k) {
  if (!k.masters) k.masters = std::make_shared<MastersState>(k);
  return *k.masters;
}

int dma_master_probe(Device* dev) {
  Kernel& k = *dev->kernel;
  MastersState& ms = masters_state(k);
  harness::TraceSpan span(dev->name, "dma_master_probe");
  // From here the driver may hand DMA addresses to its device: a later change of dma_ops or of
  // the attached domain by another path is a dma-ops-on-bound finding.
  invariants::OnDriverDmaBegin(dev);
  if (dev->np->IsMaster()) invariants::OnMasterBind(dev);
  auto* m = k.Alloc<DmaMasterData>();
  m->dev = dev;
  m->params = ParamsFor(dev, &m->family);
  std::vector<hwmodel::ClockGate*> clocks;
  if (k.hw) {
    for (const hwmodel::PhandleRef& ref : dev->np->clocks) clocks.push_back(k.hw->clock(ref));
  }
  for (hwmodel::ClockGate* c : clocks) c->prepare_enable();
  pm_runtime_enable(dev);
  pm_runtime_get_sync(dev);
  if (k.hw) {
    hwmodel::PhysMemory& mem = k.hw->memory();
    int order = 0;
    while ((hwmodel::kPageSize << order) < m->params.buffer_size) ++order;
    for (int i = 0; i < m->params.buffers; ++i) {
      DmaBuffer b;
      b.size = m->params.buffer_size;
      b.phys = mem.AllocPages(order, absl::StrCat("dma-buf ", dev->name));
      b.dma = b.phys == 0 ? DMA_MAPPING_ERROR : dma_map_phys(dev, b.phys, b.size, m->params.write, &b.ops);
      if (b.dma == DMA_MAPPING_ERROR) {
        TraceLog(dev->name, "dma_master_probe", "dma_map_single failed");
        for (const DmaBuffer& o : m->bufs) dma_unmap_phys(dev, o.ops, o.dma, o.size);
        pm_runtime_put(dev);
        pm_runtime_disable(dev);
        for (hwmodel::ClockGate* c : clocks) c->disable_unprepare();
        invariants::OnDriverDmaEnd(dev);
        return -ENOMEM;
      }
      TraceLog(dev->name, "dma_master_probe",
               absl::StrCat("buffer phys 0x", absl::Hex(b.phys), " dma 0x", absl::Hex(b.dma), " via ",
                            DmaOpsName(b.ops)));
      m->bufs.push_back(b);
    }
  }
  ms.by_node[static_cast<size_t>(dev->of_node)] = m;
  dev_set_drvdata(dev, m);
  harness::Spawn(absl::StrCat("dma/", dev->name), [dev, m] { TrafficTask(dev, m); },
                 harness::TaskOptions{.daemon = true});
  pm_runtime_put(dev);  // idle until the first job
  return 0;
}

void dma_master_remove(Device* dev) {
  Kernel& k = *dev->kernel;
  auto* m = static_cast<DmaMasterData*>(dev_get_drvdata(dev));
  if (m == nullptr) return;
  m->stop.Store(true);
  m->idle.WakeUpAll();
  m->stopped.Wait();  // stop the engine before its buffers go away
  for (const DmaBuffer& b : m->bufs) dma_unmap_phys(dev, b.ops, b.dma, b.size);
  pm_runtime_disable(dev);
  if (k.hw) {
    for (const hwmodel::PhandleRef& ref : dev->np->clocks) k.hw->clock(ref)->disable_unprepare();
  }
  masters_state(k).by_node[static_cast<size_t>(dev->of_node)] = nullptr;
  invariants::OnDriverDmaEnd(dev);
}

void dma_masters_register(Kernel& k) {
  MastersState& ms = masters_state(k);
  iommu_state(k);
  const bool module = k.knobs.masters == Linkage::kModule;
  std::vector<std::string> claimed;
  for (const Family& f : Families()) {
    auto drv = std::make_unique<DeviceDriver>();
    drv->name = f.driver;
    drv->of_match = f.compatibles;
    claimed.insert(claimed.end(), f.compatibles.begin(), f.compatibles.end());
    ms.drivers.push_back(std::move(drv));
  }
  // The fallback: the first compatible of every other master node of this board.
  auto fallback = std::make_unique<DeviceDriver>();
  fallback->name = "dma-master";
  for (int n : k.board.masters) {
    const hwmodel::DtNode& np = k.board.node(n);
    if (np.compatible.empty()) continue;
    bool known = false;
    for (const std::string& c : np.compatible) known = known || std::count(claimed.begin(), claimed.end(), c) > 0;
    if (known) continue;
    if (std::count(fallback->of_match.begin(), fallback->of_match.end(), np.compatible[0]) == 0) {
      fallback->of_match.push_back(np.compatible[0]);
    }
  }
  if (!fallback->of_match.empty()) ms.drivers.push_back(std::move(fallback));
  for (auto& drv : ms.drivers) {
    drv->module = module ? "dma-masters" : "";
    drv->probe = &dma_master_probe;
    drv->remove = &dma_master_remove;
  }
  auto init = [&k]() -> int {
    for (auto& drv : masters_state(k).drivers) {
      if (int r = platform_driver_register(k, drv.get()); r != 0) return r;
    }
    return 0;
  };
  if (module) {
    k.modules.push_back({"dma-masters", init, k.knobs.masters_load_time});
  } else {
    k.initcalls.push_back({InitLevel::kDevice, "dma_masters_init", init});
  }
}

}  // namespace probestorm::kernel
