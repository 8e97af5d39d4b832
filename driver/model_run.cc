#include "driver/model_run.h"

#include <memory>

#include "driver/base/init.h"
#include "driver/base/sysfs_bind.h"
#include "driver/iommu/exynos_iommu.h"
#include "driver/kernel.h"
#include "driver/masters/dma_master.h"
#include "harness/controlled_engine.h"
#include "harness/free_engine.h"
#include "hwmodel/hw/hardware.h"

namespace probestorm::kernel {
namespace {

// Builds the world inside `engine`, runs it, and collects what the run produced.
ModelRun RunIn(harness::Engine& engine, const hwmodel::Board& board, const Profile& profile) {
  ModelRun out;
  harness::Engine::Scope scope(engine);
  Knobs knobs = profile.knobs;
  ResolveForBoard(knobs, board);
  hwmodel::Hardware hw(board, HardwareOptionsFor(knobs));
  Kernel kernel(board, knobs, &hw);
  RegisterModelDrivers(kernel);
  StartBoot(kernel);
  StartChurn(kernel);
  StartProbeStorm(kernel);
  engine.SetEndCheck([&kernel](harness::RunResult& r) { RunEndChecks(kernel, r); });
  out.result = engine.Run();
  for (const ProbeInfo& p : kProbes) out.probes[static_cast<size_t>(p.id)] = kernel.probes.Count(p.id);
  if (engine.options().keep_trace) out.trace = engine.trace().Events();
  for (uint32_t t = 0; t <= out.result.tasks; ++t) out.task_names.push_back(engine.TaskName(t));
  return out;
}

}  // namespace

void RegisterModelDrivers(Kernel& k) {
  exynos_iommu_register(k);
  dma_masters_register(k);
}

void RunEndChecks(Kernel& k, harness::RunResult& result) {
  const bool quiescent = result.ending == harness::Ending::kQuiescent;
  for (auto& check : k.end_checks) check(result.findings, quiescent);
}

namespace {

// The engine options with the profile's planted lock drop (knob drop_lock).
harness::EngineOptions WithProfile(harness::EngineOptions options, const Profile& profile) {
  if (!profile.knobs.drop_lock.empty()) options.dropped_lock_class = profile.knobs.drop_lock.c_str();
  return options;
}

}  // namespace

ModelRun RunControlled(const hwmodel::Board& board, const Profile& profile,
                       const harness::EngineOptions& options, harness::Strategy& strategy) {
  harness::ControlledEngine engine(WithProfile(options, profile), &strategy);
  ModelRun out = RunIn(engine, board, profile);
  out.schedule = std::make_shared<const harness::Schedule>(engine.TakeSchedule());
  return out;
}

ModelRun RunFree(const hwmodel::Board& board, const Profile& profile,
                 const harness::EngineOptions& options, harness::Perturb perturb, double time_scale,
                 const harness::ThreadCreateFn& create_thread) {
  harness::FreeEngine engine(WithProfile(options, profile), perturb, time_scale,
                             create_thread ? create_thread : harness::ThreadCreateFn(&pthread_create));
  return RunIn(engine, board, profile);
}

}  // namespace probestorm::kernel
