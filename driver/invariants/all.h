// The program's invariants, in their stable order: the order of `probestorm list invariants`, of
// the JSON report's summary and findings and of the JUnit test cases. An explicit list rather than
// self-registration by static initialisers (which a static library's link may drop, in an order
// no one chose). Adding an invariant: its files in driver/invariants/ (or hwmodel/invariants/),
// one line here, its hooks at the kernel points it watches.
//
// Thread-safety: the registry is built on first use (a function-local static) and immutable.
#ifndef PROBESTORM_DRIVER_INVARIANTS_ALL_H_
#define PROBESTORM_DRIVER_INVARIANTS_ALL_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

const harness::InvariantRegistry& Registry();

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_ALL_H_
