// Tracked<T>: a field of shared model state whose reads and writes are schedule points and are
// checked by the happens-before race detector (controlled engine) or by TSan (free engine, where
// the plain access is deliberately unsynchronised so that TSan sees what the model does).
//
// Label fields after construction with SetLabel so a data-race finding names them: either a text
// ("bench shared") or the owner's name and a literal (name, " dev->iommu"), joined only when a
// race is reported. Peek() reads without a schedule point or check (reports, post-run checks,
// interleaving probes): it is the harness's read, not the model's, so TSan ignores it too.
//
// Thread-safety: as unsafe as the model makes it; that is the point.
#ifndef PROBESTORM_HARNESS_SYNC_TRACKED_H_
#define PROBESTORM_HARNESS_SYNC_TRACKED_H_

#include <string>
#include <utility>

#include "absl/base/dynamic_annotations.h"
#include "harness/engine.h"
#include "harness/race/race_detector.h"
#include "harness/race/vector_clock.h"
#include "harness/rng.h"
#include "harness/sched/conflicts.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {

template <typename T>
class Tracked {
 public:
  Tracked() = default;
  explicit Tracked(T v) : v_(std::move(v)) {}
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;

  void SetLabel(std::string label) {
    text_ = std::move(label);
    label_ = {&text_, ""};
    kind_ = 0;
  }
  // `owner` (e.g. the device's name) must outlive the field; `suffix` is a string literal.
  void SetLabel(const std::string& owner, const char* suffix) {
    label_ = {&owner, suffix};
    kind_ = 0;
  }

  T Get() const {
    Engine& e = Engine::Current();
    ConflictRecorder* c = e.conflicts();
    const SiteId site = c ? Announce(e, *c, false) : 0;
    e.Point(PointKind::kShared);
    if (auto* r = e.race()) {
      const TaskId t = e.Self();
      r->OnRead(t, shadow_, label_, e.trace().CurrentFunction(t));
    }
    if (c) c->Access(e.Self(), c->IdOf(tag_), site);
    return v_;
  }
  void Set(T v) {
    Engine& e = Engine::Current();
    ConflictRecorder* c = e.conflicts();
    const SiteId site = c ? Announce(e, *c, true) : 0;
    e.Point(PointKind::kShared);
    if (auto* r = e.race()) {
      const TaskId t = e.Self();
      r->OnWrite(t, shadow_, label_, e.trace().CurrentFunction(t));
    }
    if (c) c->Access(e.Self(), c->IdOf(tag_), site);
    v_ = std::move(v);
  }
  T Peek() const { return ABSL_ANNOTATE_UNPROTECTED_READ(v_); }
  // Setup before the run starts (no engine running yet, or no concurrency possible).
  void Init(T v) { v_ = std::move(v); }

 private:
  // The access's site: the model function and the field's kind (the label's literal, or the
  // whole label of a field labelled by text alone), never the owner's name.
  SiteId Announce(Engine& e, ConflictRecorder& c, bool write) const {
    if (kind_ == 0) kind_ = Rng::Hash(*label_.suffix != '\0' ? std::string_view(label_.suffix) : *label_.prefix) | 1;
    const TaskId t = e.Self();
    const SiteId site = c.Site(e.trace().CurrentFunction(t), kind_, write);
    c.Announce(t, c.IdOf(tag_), site);
    return site;
  }

  T v_{};
  mutable Shadow shadow_;
  mutable uint64_t kind_ = 0;  // hash of the field's kind, computed at the first recorded access
  ConflictTag tag_;
  std::string text_ = "tracked";
  FieldLabel label_{&text_, ""};
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_TRACKED_H_
