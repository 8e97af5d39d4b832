// RunModel: one run of the kernel model on one board and profile — the unit every campaign,
// replay, shrink and bisect step is made of.
//
// Builds a fresh Hardware and Kernel, spawns the boot task (driver/base/init.h), runs the engine to
// its ending, then adds the end-of-run findings (stall of masters, devices left pending).
//
// Thread-safety: RunModel may run on many OS threads at once (one run each); the Board is shared
// read-only.
#ifndef PROBESTORM_DRIVER_MODEL_RUN_H_
#define PROBESTORM_DRIVER_MODEL_RUN_H_

#include <vector>

#include "driver/probes.h"
#include "driver/profile.h"
#include "harness/engine.h"
#include "harness/free_engine.h"
#include "harness/sched/schedule.h"
#include "harness/sched/strategy.h"
#include "harness/trace/trace.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {

class Kernel;

struct ModelRun {
  harness::RunResult result;
  harness::SharedSchedule schedule;        // controlled engine: the choices made (null: free)
  std::vector<harness::TraceEvent> trace;  // every event when options.keep_trace
  std::vector<std::string> task_names;     // by TaskId (index 0 unused), for trace writers
  std::array<uint64_t, kProbes.size()> probes{};  // hits per ProbeId (driver/probes.h)
};

// Controlled engine: deterministic for (board, profile, options.seed, strategy).
ModelRun RunControlled(const hwmodel::Board& board, const Profile& profile,
                       const harness::EngineOptions& options, harness::Strategy& strategy);

// Free engine: OS threads with seeded perturbation; not deterministic.
// `create_thread`: pthread_create unless a test injects thread-creation failures. Throws
// harness::ThreadCreateError when the host refuses a thread.
ModelRun RunFree(const hwmodel::Board& board, const Profile& profile,
                 const harness::EngineOptions& options, harness::Perturb perturb, double time_scale,
                 const harness::ThreadCreateFn& create_thread = {});

// The pieces every run is assembled from, for tests that drive model functions directly: the
// drivers every run registers (exynos-iommu, the DMA masters), and the end-of-run checks, which add
// their findings to `result`.
void RegisterModelDrivers(Kernel& k);
void RunEndChecks(Kernel& k, harness::RunResult& result);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_MODEL_RUN_H_
