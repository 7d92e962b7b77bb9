/*
 * Probe operations that reach other processes of the same user through calls Landlock does not
 * see. Each reads the current value first and writes the same value back, so that a success
 * proves the permission without harming the process it names.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int probe_ok(void);
int probe_denied(int err);

static int check_host(long result) { return result < 0 ? probe_denied(errno) : probe_ok(); }

int op_prlimit(pid_t pid) {
  struct rlimit limit;
  if (prlimit(pid, RLIMIT_CPU, NULL, &limit) != 0) return probe_denied(errno);
  return check_host(prlimit(pid, RLIMIT_CPU, &limit, NULL));
}

int op_setpriority(pid_t pid) {
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, pid);
  if (nice == -1 && errno != 0) return probe_denied(errno);
  return check_host(setpriority(PRIO_PROCESS, pid, nice));
}

int op_affinity(pid_t pid) {
  cpu_set_t set;
  if (sched_getaffinity(pid, sizeof set, &set) != 0) return probe_denied(errno);
  return check_host(sched_setaffinity(pid, sizeof set, &set));
}

int op_ioprio(pid_t pid) {
  const int who_process = 1;
  long prio = syscall(SYS_ioprio_get, who_process, pid);
  if (prio < 0) return probe_denied(errno);
  return check_host(syscall(SYS_ioprio_set, who_process, pid, prio));
}

/* Creates a 0600 segment holding TEXT, prints its id, and keeps it until stdin closes. */
int op_shm_hold(const char *text) {
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  if (id < 0) return probe_denied(errno);
  char *memory = shmat(id, NULL, 0);
  if (memory == (void *)-1) return probe_denied(errno);
  strncpy(memory, text, 4095);
  shmctl(id, IPC_RMID, NULL); /* gone once the last process detaches */
  printf("%d\n", id);
  char buffer[16];
  while (read(0, buffer, sizeof buffer) > 0) {
  }
  return 0;
}

/* Attaches segment ID and prints what it holds. */
int op_shm_read(int id) {
  char *memory = shmat(id, NULL, SHM_RDONLY);
  if (memory == (void *)-1) return probe_denied(errno);
  printf("ok %.64s\n", memory);
  return 0;
}

/* A datagram socketpair aimed at a named socket by sendto(). */
int op_unix_dgram(const char *path) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair) != 0) return probe_denied(errno);
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  if (strlen(path) + 1 > sizeof address.sun_path) return probe_denied(ENAMETOOLONG);
  strcpy(address.sun_path, path);
  return check_host(sendto(pair[0], "probe", 5, 0, (struct sockaddr *)&address, sizeof address));
}

/* As a process left behind would: a child moves into a process group of its own and makes it the
 * foreground of the terminal on stdin. Reports the child's outcome. */
int op_tcsetpgrp(void) {
  pid_t child = fork();
  if (child < 0) return probe_denied(errno);
  if (child == 0) {
    signal(SIGTTOU, SIG_IGN);
    if (setpgid(0, 0) != 0) _exit(100 + errno);
    _exit(tcsetpgrp(0, getpgrp()) == 0 ? 0 : errno);
  }
  int status = 0;
  waitpid(child, &status, 0);
  signal(SIGTTOU, SIG_IGN);
  tcsetpgrp(0, getpgrp()); /* hand the terminal back, should the child have taken it */
  if (!WIFEXITED(status)) return probe_denied(EINTR);
  return WEXITSTATUS(status) == 0 ? probe_ok() : probe_denied(WEXITSTATUS(status));
}

int op_stream_pair(void) {
  int pair[2];
  return check_host(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair));
}
