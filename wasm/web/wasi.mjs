// A minimal WASI (snapshot preview 1) for Vigie's module in the browser.
//
// The module is a Go reactor: it never opens files or sockets. It needs
// arguments (Go reads os.Args[0]), clocks, random bytes, stdout and stderr
// for panics, and a scheduler hook. Everything else answers "bad file
// descriptor", as a process without any preopened directory would. The Go
// tests check that every function the module imports is defined here.

const SUCCESS = 0;
const EBADF = 8;
const ENOENT = 44;
const FILETYPE_CHARACTER_DEVICE = 2;

/** Thrown when the module calls proc_exit: the instance cannot be used again. */
export class ProcExit extends Error {
  constructor(code) {
    super(`the module exited with status ${code}`);
    this.code = code;
  }
}

/**
 * Returns the wasi_snapshot_preview1 import object. memory() must return the
 * module's current WebAssembly.Memory: Go grows it, so views are made afresh
 * on every call.
 */
export function wasiImports(memory, { args = ["vigie"], log = console } = {}) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const argv = args.map((a) => encoder.encode(a + "\0"));
  const view = () => new DataView(memory().buffer);
  const bytes = () => new Uint8Array(memory().buffer);
  const pending = { 1: "", 2: "" };

  return {
    args_sizes_get(argcPtr, sizePtr) {
      const v = view();
      v.setUint32(argcPtr, argv.length, true);
      v.setUint32(sizePtr, argv.reduce((n, a) => n + a.length, 0), true);
      return SUCCESS;
    },
    args_get(argvPtr, bufPtr) {
      const v = view();
      const m = bytes();
      for (const a of argv) {
        v.setUint32(argvPtr, bufPtr, true);
        argvPtr += 4;
        m.set(a, bufPtr);
        bufPtr += a.length;
      }
      return SUCCESS;
    },
    environ_sizes_get(countPtr, sizePtr) {
      const v = view();
      v.setUint32(countPtr, 0, true);
      v.setUint32(sizePtr, 0, true);
      return SUCCESS;
    },
    environ_get() {
      return SUCCESS;
    },
    clock_time_get(id, _precision, timePtr) {
      // 0 is the wall clock; the others are monotonic.
      const ns = id === 0 ? BigInt(Date.now()) * 1000000n : BigInt(Math.round(performance.now() * 1e6));
      view().setBigUint64(timePtr, ns, true);
      return SUCCESS;
    },
    random_get(ptr, len) {
      const m = bytes();
      for (let i = 0; i < len; i += 65536) {
        crypto.getRandomValues(m.subarray(ptr + i, ptr + Math.min(len, i + 65536)));
      }
      return SUCCESS;
    },
    fd_write(fd, iovs, iovsLen, writtenPtr) {
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view();
      const m = bytes();
      let n = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = v.getUint32(iovs + 8 * i, true);
        const len = v.getUint32(iovs + 8 * i + 4, true);
        pending[fd] += decoder.decode(m.subarray(ptr, ptr + len));
        n += len;
      }
      // Line-buffered, so that a Go panic reads as one message.
      const lines = pending[fd].split("\n");
      pending[fd] = lines.pop();
      for (const line of lines) (fd === 2 ? log.error : log.log).call(log, line);
      v.setUint32(writtenPtr, n, true);
      return SUCCESS;
    },
    fd_read(_fd, _iovs, _iovsLen, readPtr) {
      view().setUint32(readPtr, 0, true); // standard input is empty
      return SUCCESS;
    },
    fd_fdstat_get(fd, statPtr) {
      if (fd > 2) return EBADF;
      const v = view();
      v.setUint8(statPtr, FILETYPE_CHARACTER_DEVICE);
      v.setUint16(statPtr + 2, 0, true);
      v.setBigUint64(statPtr + 8, 0n, true);
      v.setBigUint64(statPtr + 16, 0n, true);
      return SUCCESS;
    },
    fd_fdstat_set_flags(fd) {
      return fd > 2 ? EBADF : SUCCESS;
    },
    fd_close(fd) {
      return fd > 2 ? EBADF : SUCCESS;
    },
    fd_prestat_get() {
      return EBADF; // no preopened directory
    },
    fd_prestat_dir_name() {
      return EBADF;
    },
    fd_filestat_get() {
      return EBADF;
    },
    fd_readdir() {
      return EBADF;
    },
    path_filestat_get() {
      return ENOENT;
    },
    poll_oneoff(inPtr, outPtr, count, eventsPtr) {
      // A page cannot block: report every subscription (Go's timers) as due.
      const v = view();
      for (let i = 0; i < count; i++) {
        const sub = inPtr + 48 * i;
        const ev = outPtr + 32 * i;
        v.setBigUint64(ev, v.getBigUint64(sub, true), true); // userdata
        v.setUint16(ev + 8, SUCCESS, true); // error
        v.setUint8(ev + 10, v.getUint8(sub + 8)); // type
      }
      v.setUint32(eventsPtr, count, true);
      return SUCCESS;
    },
    sched_yield() {
      return SUCCESS;
    },
    proc_exit(code) {
      throw new ProcExit(code);
    },
  };
}
