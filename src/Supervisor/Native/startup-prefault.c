/*
 * Start-up cost of the NativeAOT executable on Linux.
 *
 * Before Main runs, the runtime expands its compressed type data into the executable's zero-filled
 * area (the ".hydrated" section, about 3 MiB, after .bss). Touched page by page, that area costs one
 * page fault per 4 KiB: about 700 faults per process, the largest part of nono's start-up in a
 * virtual machine where a fault is expensive, and nono starts twice per session (the supervisor and
 * stage 2). One madvise(MADV_POPULATE_WRITE) on the area before the runtime starts maps it in a
 * single call. This is only a hint: on a kernel without it (before 5.14) the call fails and the
 * pages fault in as before.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static int populate_zero_fill(struct dl_phdr_info *info, size_t size, void *unused)
{
    (void)size;
    (void)unused;
    const uintptr_t page = 4096;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_W) || segment->p_memsz <= segment->p_filesz) {
            continue;
        }
        /* The zero-filled tail of the writable segment; its first partial page is file-backed. */
        uintptr_t start = info->dlpi_addr + segment->p_vaddr + segment->p_filesz;
        uintptr_t end = info->dlpi_addr + segment->p_vaddr + segment->p_memsz;
        start = (start + page - 1) & ~(page - 1);
        end = (end + page - 1) & ~(page - 1);
        if (end > start) {
            (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
        }
    }
    return 1; /* the first object reported is the executable itself: stop there */
}

__attribute__((constructor)) static void nono_startup_prefault(void)
{
    dl_iterate_phdr(populate_zero_fill, 0);
}
