#include "stress/trace_files.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "harness/trace/chrome_trace.h"
#include "harness/trace/ftrace_log.h"
#include "stress/files.h"

namespace probestorm::stress {

absl::Status WriteTraceFiles(const kernel::ModelRun& run, std::string_view chrome_path,
                             std::string_view log_path) {
  if (!chrome_path.empty()) {
    absl::Status s = WriteOutputFile(chrome_path, [&run](const harness::TextSink& put) {
      harness::WriteChromeTrace(put, run.trace, run.task_names, run.result.findings);
    });
    if (!s.ok()) return s;
  }
  if (!log_path.empty()) {
    absl::Status s = WriteOutputFile(log_path, [&run](const harness::TextSink& put) {
      harness::WriteFtraceLog(put, run.trace, run.task_names);
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> RenderFindingTrace(const CampaignOptions& o, const CampaignResult& res,
                                        const FoundRecord& rec, const std::string& chrome,
                                        const std::string& log) {
  if (chrome.empty() && log.empty()) return false;  // nothing asked for: no re-run
  if (o.engine.free()) {
    auto it = res.free_traces.find(std::string(rec.finding.invariant.name()));
    if (it == res.free_traces.end() || it->second.run != rec.run) return false;
    if (absl::Status s = WriteTraceFiles(*it->second.model, chrome, log); !s.ok()) return s;
    return true;
  }
  const auto& board = *o.boards[static_cast<size_t>(rec.board)].board;
  const auto& profile = o.profiles[static_cast<size_t>(rec.profile)];
  // The token says how the run was made: its strategy and seed, or its recorded schedule.
  auto spec = EngineSpecFromToken(rec.token);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("trace of run ", rec.run, " not written: ", spec.status().message()));
  }
  auto m = ExecuteRun(board, profile, *spec, rec.seed, nullptr, /*keep_trace=*/true);
  if (!m.ok()) {
    return absl::InternalError(
        absl::StrCat("trace of run ", rec.run, " not written: ", m.status().message()));
  }
  if (m->result.trace_hash != rec.trace_hash) {
    std::fprintf(stderr,
                 "probestorm: WARNING: re-running run %llu for its trace gave trace hash %016llx, "
                 "not %016llx: the model is not deterministic (a bug); trace written anyway\n",
                 static_cast<unsigned long long>(rec.run),
                 static_cast<unsigned long long>(m->result.trace_hash),
                 static_cast<unsigned long long>(rec.trace_hash));
  }
  if (absl::Status s = WriteTraceFiles(*m, chrome, log); !s.ok()) return s;
  return true;
}

absl::Status FindingTraceFiles::Write(const FoundRecord& rec, const std::string& chrome,
                                      const std::string& log) {
  RunFiles& have = runs_[rec.run];
  // What the run already has is copied; the rest is rendered, both kinds in one re-run.
  const std::string render_chrome = have.chrome.empty() ? chrome : "";
  const std::string render_log = have.log.empty() ? log : "";
  if (!render_chrome.empty() || !render_log.empty()) {
    absl::StatusOr<bool> rendered = render_(rec, render_chrome, render_log);
    if (!rendered.ok()) return rendered.status();
    if (*rendered) {
      for (const std::string* path : {&render_chrome, &render_log}) {
        if (!path->empty()) written_.push_back(*path);
      }
      if (!render_chrome.empty()) have.chrome = render_chrome;
      if (!render_log.empty()) have.log = render_log;
    }
  }
  for (const auto& [from, to] : {std::pair(&have.chrome, &chrome), std::pair(&have.log, &log)}) {
    if (to->empty() || from->empty() || *from == *to) continue;
    if (absl::Status s = CopyOutputFile(*from, *to); !s.ok()) return s;
    written_.push_back(*to);
  }
  return absl::OkStatus();
}

}  // namespace probestorm::stress
