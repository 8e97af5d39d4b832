#include "stress/explain.h"

namespace probestorm::stress {

std::string_view Explain(harness::InvariantId id) {
  if (id.def() != nullptr && !id.def()->explanation.empty()) return id.def()->explanation;
  return "An invariant of the probe path failed; see the message and the trace.";
}

}  // namespace probestorm::stress
