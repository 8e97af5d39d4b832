// Fiber-switch annotations for ThreadSanitizer and AddressSanitizer builds; no-ops otherwise.
#ifndef PROBESTORM_HARNESS_SANITIZER_FIBER_H_
#define PROBESTORM_HARNESS_SANITIZER_FIBER_H_

#include <cstddef>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PROBESTORM_TSAN 1
#endif
#if __has_feature(address_sanitizer)
#define PROBESTORM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define PROBESTORM_TSAN 1
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PROBESTORM_ASAN 1
#endif

#ifdef PROBESTORM_TSAN
#include <sanitizer/tsan_interface.h>
#endif
#ifdef PROBESTORM_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace probestorm::harness::sanitizer {

inline void* CurrentTsanFiber() {
#ifdef PROBESTORM_TSAN
  return __tsan_get_current_fiber();
#else
  return nullptr;
#endif
}
inline void* CreateTsanFiber() {
#ifdef PROBESTORM_TSAN
  return __tsan_create_fiber(0);
#else
  return nullptr;
#endif
}
inline void DestroyTsanFiber(void* f) {
#ifdef PROBESTORM_TSAN
  if (f != nullptr) __tsan_destroy_fiber(f);
#else
  (void)f;
#endif
}
// The controlled engine runs one fiber at a time, so each switch is a real synchronisation: the
// default flags (synchronising switch) keep TSan from reporting the engine's own bookkeeping.
// Races inside the model are found by the engine's own happens-before detector.
inline void SwitchTsanFiber(void* f) {
#ifdef PROBESTORM_TSAN
  if (f != nullptr) __tsan_switch_to_fiber(f, 0);
#else
  (void)f;
#endif
}
inline void StartSwitch(void** fake_stack_save, const void* bottom, size_t size) {
#ifdef PROBESTORM_ASAN
  __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
  (void)fake_stack_save, (void)bottom, (void)size;
#endif
}
inline void FinishSwitch(void* fake_stack_save, const void** bottom_old, size_t* size_old) {
#ifdef PROBESTORM_ASAN
  __sanitizer_finish_switch_fiber(fake_stack_save, bottom_old, size_old);
#else
  (void)fake_stack_save, (void)bottom_old, (void)size_old;
#endif
}

}  // namespace probestorm::harness::sanitizer

#endif  // PROBESTORM_HARNESS_SANITIZER_FIBER_H_
