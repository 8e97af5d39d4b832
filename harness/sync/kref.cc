#include "harness/sync/kref.h"

#include "absl/strings/str_cat.h"

namespace probestorm::harness {

void Kref::Get() {
  int expected = count_.Load();
  while (true) {
    if (expected <= 0) {
      Oops(id_,
           absl::StrCat("refcount_t: addition on 0; use-after-free of ", what_));
    }
    if (count_.CompareExchange(expected, expected + 1)) return;
  }
}

bool Kref::Put(const std::function<void()>& release) {
  const int before = count_.FetchSub(1);
  if (before <= 0) {
    Oops(id_, absl::StrCat("refcount_t: underflow; use-after-free of ", what_));
  }
  if (before == 1) {
    release();
    return true;
  }
  return false;
}

}  // namespace probestorm::harness
