#include "harness/invariant.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "harness/strings.h"

namespace probestorm::harness {

InvariantRegistry::InvariantRegistry(std::vector<InvariantId> in_order) : ids_(std::move(in_order)) {}

size_t InvariantRegistry::Rank(InvariantId id) const {
  return static_cast<size_t>(std::find(ids_.begin(), ids_.end(), id) - ids_.begin());
}

size_t InvariantRegistry::Rank(std::string_view name) const {
  return static_cast<size_t>(
      std::find_if(ids_.begin(), ids_.end(), [&](InvariantId id) { return id.name() == name; }) -
      ids_.begin());
}

absl::StatusOr<InvariantId> InvariantRegistry::Parse(std::string_view name) const {
  const size_t r = Rank(name);
  if (r < ids_.size()) return ids_[r];
  return absl::InvalidArgumentError(
      absl::StrCat("unknown invariant '", Av(name), "' (see `probestorm list invariants`)"));
}

absl::StatusOr<InvariantSet> InvariantSet::Parse(std::string_view list,
                                                 const InvariantRegistry& registry) {
  const absl::string_view l = absl::StripAsciiWhitespace(Av(list));
  if (l.empty() || l == "all") return All();
  InvariantSet set;
  for (absl::string_view part : absl::StrSplit(l, ',', absl::SkipWhitespace())) {
    auto id = registry.Parse(Sv(absl::StripAsciiWhitespace(part)));
    if (!id.ok()) return id.status();
    set.Set(*id);
  }
  return set;
}

bool InvariantSet::Has(InvariantId id) const {
  const bool listed = std::find(listed_.begin(), listed_.end(), id) != listed_.end();
  return all_ != listed;
}

void InvariantSet::Set(InvariantId id, bool on) {
  auto it = std::find(listed_.begin(), listed_.end(), id);
  const bool listed = on != all_;  // all_: list the ones off; else the ones on
  if (listed && it == listed_.end()) listed_.push_back(id);
  if (!listed && it != listed_.end()) listed_.erase(it);
}

}  // namespace probestorm::harness
