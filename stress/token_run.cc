#include "stress/token_run.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/strings.h"
#include "stress/boards.h"
#include "stress/campaign.h"
#include "stress/files.h"
#include "stress/load.h"
#include "stress/report.h"

namespace probestorm::stress {

absl::StatusOr<ReplayToken> TokenFromFlags(std::string_view sub) {
  const std::string token = absl::GetFlag(FLAGS_token);
  const std::string report = absl::GetFlag(FLAGS_report);
  const int finding = absl::GetFlag(FLAGS_finding);
  if (!token.empty() && !report.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("probestorm ", Av(sub), ": give --token or --report, not both"));
  }
  if (!token.empty()) {
    auto t = ReplayToken::Decode(token);
    if (!t.ok()) return absl::InvalidArgumentError(absl::StrCat("--token: ", t.status().message()));
    return t;
  }
  if (report.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("probestorm ", Av(sub), ": give --token=T or --report=R --finding=N"));
  }
  auto text = ReadFile(report);
  if (!text.ok()) return text.status();
  auto r = ParseReport(*text, report);
  if (!r.ok()) return r.status();
  if (finding < 0 || static_cast<size_t>(finding) >= r->findings.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        report, ": no finding ", finding, " (--finding must be 0..",
        static_cast<int64_t>(r->findings.size()) - 1, "; the report holds ", r->findings.size(),
        ")"));
  }
  auto t = ReplayToken::Decode(r->findings[static_cast<size_t>(finding)].token);
  if (!t.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(report, ": finding ", finding, ": ", t.status().message()));
  }
  return t;
}

absl::StatusOr<TokenRun> PrepareTokenRun(const ReplayToken& t, const SubcommandArgs& args) {
  TokenRun tr;
  tr.token = t;
  if (!args.dt.empty() || !args.synthetic.empty()) {
    auto specs = ExpandBoardSpecs(args.dt, args.synthetic);
    if (!specs.ok()) return specs.status();
    if (specs->size() != 1 || (*specs)[0] != t.board) {
      return absl::InvalidArgumentError(absl::StrCat("token from another board: it was made on '",
                                                     t.board, "', not '", absl::StrJoin(*specs, ","),
                                                     "'"));
    }
  }
  auto b = LoadBoardSpec(t.board);
  if (!b.ok()) return b.status();
  if (BoardFingerprint(*b) != t.board_fingerprint) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token from another board: '", t.board,
        "' is not the device tree the token was made on (its fingerprint differs)"));
  }
  if (absl::Status s = DisableNodes(*b, t.disabled); !s.ok()) return s;
  tr.board = std::make_shared<hwmodel::Board>(std::move(*b));
  auto p = ProfileFromToken(t, &tr.warning);
  if (!p.ok()) return p.status();
  tr.profile = std::move(*p);
  auto spec = EngineSpecFromToken(t);
  if (!spec.ok()) return spec.status();
  tr.spec = std::move(*spec);
  return tr;
}

absl::StatusOr<kernel::ModelRun> RunToken(const TokenRun& tr, bool keep_trace) {
  return ExecuteRun(*tr.board, tr.profile, tr.spec, tr.token.seed, nullptr, keep_trace);
}

const harness::Finding* ViolationOf(const kernel::ModelRun& run, std::string_view id) {
  for (const auto& f : run.result.findings) {
    if (f.severity == harness::Severity::kViolation && f.invariant == id) return &f;
  }
  return nullptr;
}

bool HasViolation(const kernel::ModelRun& run, std::string_view id) {
  return ViolationOf(run, id) != nullptr;
}

}  // namespace probestorm::stress
