#include "stress/load.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "harness/strings.h"
#include "stress/boards.h"

namespace probestorm::stress {

absl::StatusOr<std::vector<CampaignBoard>> LoadBoards(const SubcommandArgs& args) {
  auto specs = ExpandBoardSpecs(args.dt, args.synthetic);
  if (!specs.ok()) return specs.status();
  std::vector<CampaignBoard> out;
  for (const std::string& spec : *specs) {
    auto b = LoadBoardSpec(spec);
    if (!b.ok()) return b.status();
    CampaignBoard cb;
    cb.spec = spec;
    cb.fingerprint = BoardFingerprint(*b);
    cb.board = std::make_shared<const hwmodel::Board>(std::move(*b));
    out.push_back(std::move(cb));
  }
  return out;
}

absl::StatusOr<std::vector<kernel::Profile>> LoadProfiles(std::string_view comma_list,
                                                          const std::vector<std::string>& sets) {
  std::vector<kernel::Profile> out;
  for (absl::string_view name : absl::StrSplit(Av(comma_list), ',', absl::SkipWhitespace())) {
    auto p = kernel::LoadProfile(Sv(name));
    if (!p.ok()) return p.status();
    for (const std::string& s : sets) {
      absl::Status st = kernel::ApplySet(*p, s);
      if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat("--set=", s, ": ", st.message()));
    }
    out.push_back(std::move(*p));
  }
  if (out.empty()) return absl::InvalidArgumentError("no profile given");
  return out;
}

absl::StatusOr<kernel::Profile> ProfileFromToken(const ReplayToken& t, std::string* warning) {
  kernel::Profile p;
  p.name = t.profile;
  p.description = "as recorded in the replay token";
  for (absl::string_view line : absl::StrSplit(t.knobs, '\n', absl::SkipEmpty())) {
    const size_t eq = line.find(" = ");
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("bad replay token: knob line '", line, "'"));
    }
    absl::Status s = kernel::SetKnob(p.knobs, Sv(line.substr(0, eq)), Sv(line.substr(eq + 3)));
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("replay token knobs do not fit this probestorm: ", s.message()));
    }
  }
  for (const auto& b : kernel::BuiltinProfiles()) {
    if (b.name != t.profile || warning == nullptr) continue;
    // The token holds the knobs as run: a campaign's --set overrides and a built-in profile edited
    // since look the same here, so name the knobs that differ and both possible causes.
    const std::string builtin = kernel::FormatKnobs(b.knobs);
    if (builtin == t.knobs) continue;
    std::vector<std::string> differ;
    const std::vector<absl::string_view> ours = absl::StrSplit(builtin, '\n', absl::SkipEmpty());
    for (absl::string_view line : absl::StrSplit(t.knobs, '\n', absl::SkipEmpty())) {
      if (std::find(ours.begin(), ours.end(), line) == ours.end()) differ.emplace_back(line);
    }
    *warning = absl::StrCat("the token's knobs differ from built-in profile '", t.profile,
                            "' (--set overrides in the campaign, or the profile changed since): ",
                            absl::StrJoin(differ, ", "), "; replaying with the token's knobs");
  }
  return p;
}

}  // namespace probestorm::stress
