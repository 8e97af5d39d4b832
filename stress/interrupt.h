// SIGINT and SIGTERM during a campaign (`run`, `bisect`): the first signal asks the campaign to
// stop: no new run starts, runs in flight stop at their engine's next check
// (EngineOptions::interrupt) and are not counted, the partial report and JUnit are written
// ("partial": true) and the command exits 128 + the signal (130 for SIGINT, 143 for SIGTERM).
// The handler resets itself, so a second signal ends the process at once.
//
// Thread-safety: the flag is a lock-free atomic, written by the handler and read by any thread.
#ifndef PROBESTORM_STRESS_INTERRUPT_H_
#define PROBESTORM_STRESS_INTERRUPT_H_

#include <atomic>
#include <string_view>

namespace probestorm::stress {

// Installs the one-shot handlers for SIGINT and SIGTERM. Idempotent.
void InstallInterruptHandlers();
// 0 until a handled signal arrived, then its number.
const std::atomic<int>& InterruptSignal();
// 128 + the signal, the shell's convention.
int InterruptExitCode(int signal);
// "SIGINT" / "SIGTERM".
std::string_view SignalName(int signal);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_INTERRUPT_H_
