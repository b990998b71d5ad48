// A software prefetch hint for the place-name scan (ConvoyCheck), which Swift cannot express.
// The scan looks names up in tables of hundreds of megabytes; it asks for the cache lines of the
// next candidates while it works on the current one, so that their memory latencies overlap.
#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to bring the cache line holding `address` closer; no effect on program state,
/// and no fault for any address.
static inline void convoy_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
