// The explanation of an invariant's failure for the human summaries of `run` and `replay`: the
// invariant's own (its definition, beside its check), or a generic sentence.
//
// Thread-safety: immutable data.
#ifndef PROBESTORM_STRESS_EXPLAIN_H_
#define PROBESTORM_STRESS_EXPLAIN_H_

#include <string_view>

#include "harness/invariant.h"

namespace probestorm::stress {

std::string_view Explain(harness::InvariantId id);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_EXPLAIN_H_
