#include "hwmodel/hw/clock.h"

#include "harness/trace/trace.h"

namespace probestorm::hwmodel {

int ClockGate::prepare_enable() {
  count_.FetchAdd(1);
  return 0;
}

void ClockGate::disable_unprepare() {
  int c = count_.Load();
  while (c > 0 && !count_.CompareExchange(c, c - 1)) {
  }
  if (c <= 0) {
    // clk_core_disable(): WARN(1, "%s already disabled"). Kept at the floor, see clock.h.
    unbalanced_.FetchAdd(1);
    harness::TraceLog(name_, "clk_core_disable", "WARN: already disabled");
  }
}

}  // namespace probestorm::hwmodel
