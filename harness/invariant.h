// Invariants as the harness sees them: a handle (InvariantId) to a definition (InvariantDef) that
// the layer owning the watched state provides, an ordered registry of them, and the set of enabled
// ones (`--invariants`). The harness names no model invariant: a layer defines each of its
// invariants in its invariants folder (driver/invariants/, hwmodel/invariants/) and lists them, in
// order, in one explicit list (driver/invariants/all.cc builds the program's registry). Only the
// harness's own detectors (stall, lock-order, data-race) are defined here, beside their state.
//
// Ids are stable: reports, `--invariants`, JUnit test names and bisect use
// the name; the registry's order is the order of `probestorm list invariants`, the report and JUnit.
//
// Thread-safety: definitions are immutable constants; a registry is immutable once built.
#ifndef PROBESTORM_HARNESS_INVARIANT_H_
#define PROBESTORM_HARNESS_INVARIANT_H_

#include <cstddef>
#include <ostream>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/severity.h"

namespace probestorm::harness {

// What an invariant is. One constant per invariant, defined beside its check.
struct InvariantDef {
  std::string_view name;         // the stable id string, e.g. "xlate-uninit-controller"
  std::string_view what;         // what must hold, one line (`probestorm list invariants`)
  std::string_view explanation;  // why it fails, in kernel terms (run and replay summaries);
                                 // empty: a generic sentence is printed
  // The severity of its findings; a check may report another one for a given finding (the
  // severity is a field of the finding, not a separate code path).
  Severity severity = Severity::kViolation;
  // A detector observes the schedule rather than a broken model state: its violations are
  // recorded and the run goes on (stop_on_violation does not apply to them).
  bool detector = false;
};

// A handle to an invariant's definition; compares by identity. A default-constructed id names no
// invariant (empty name).
class InvariantId {
 public:
  constexpr InvariantId() = default;
  constexpr InvariantId(const InvariantDef& def) : def_(&def) {}  // NOLINT: a def is its id

  std::string_view name() const { return def_ == nullptr ? std::string_view() : def_->name; }
  const InvariantDef* def() const { return def_; }
  Severity severity() const { return def_ == nullptr ? Severity::kViolation : def_->severity; }
  bool detector() const { return def_ != nullptr && def_->detector; }

  friend bool operator==(InvariantId a, InvariantId b) { return a.def_ == b.def_; }
  // By name: tests and the stress layer compare with id strings from tokens and reports.
  friend bool operator==(InvariantId a, std::string_view name) { return a.name() == name; }
  friend std::ostream& operator<<(std::ostream& os, InvariantId id) { return os << id.name(); }

 private:
  const InvariantDef* def_ = nullptr;
};

// An ordered list of invariants, parsed by name.
class InvariantRegistry {
 public:
  explicit InvariantRegistry(std::vector<InvariantId> in_order);

  std::span<const InvariantId> all() const { return ids_; }
  size_t size() const { return ids_.size(); }
  // Position in the list; size() for an id the registry does not hold.
  size_t Rank(InvariantId id) const;
  // Position of the id named `name`; size() for an unknown name.
  size_t Rank(std::string_view name) const;
  absl::StatusOr<InvariantId> Parse(std::string_view name) const;

 private:
  std::vector<InvariantId> ids_;
};

// A set of enabled invariants (`--invariants=a,b`); all by default.
class InvariantSet {
 public:
  static InvariantSet All() { InvariantSet s; s.all_ = true; return s; }
  static InvariantSet None() { return InvariantSet(); }
  // Comma list of ids of `registry`; "" or "all" means all.
  static absl::StatusOr<InvariantSet> Parse(std::string_view list, const InvariantRegistry& registry);
  bool Has(InvariantId id) const;
  void Set(InvariantId id, bool on = true);

 private:
  bool all_ = false;
  std::vector<InvariantId> listed_;  // all_: the ones switched off; else the ones switched on
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_INVARIANT_H_
