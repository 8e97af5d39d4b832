// One-paragraph explanations of each invariant's failure in kernel terms, written from the bug
// scenarios of KERNEL.md §8(c) (S1-S9), for the human summary of `run` and `replay`.
//
// Thread-safety: immutable data.
#ifndef PROBESTORM_STRESS_EXPLAIN_H_
#define PROBESTORM_STRESS_EXPLAIN_H_

#include <string_view>

namespace probestorm::stress {

// The explanation for invariant `id`, or a generic sentence for an unknown id.
std::string_view Explain(std::string_view id);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_EXPLAIN_H_
