package dev.runway.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a pickle's opcodes without running it and refuses any global reference (GLOBAL, INST, STACK_GLOBAL, EXT*)
 * outside the tensor-rebuild family a TorchScript archive's {@code data.pkl} and {@code constants.pkl} need. An
 * opcode it does not know is refused too, so that a pickle cannot hide a global behind one.
 */
final class PickleGlobals {

    private PickleGlobals() {}

    /** Whether {@code module.name} may be named: rebuilding tensors, storages, ordered dicts and the archive's classes. */
    static boolean allowed(String module, String name) {
        return (module.equals("torch._utils") && name.startsWith("_rebuild_"))
                || (module.equals("torch") && name.endsWith("Storage") && name.matches("[A-Za-z0-9]+"))
                || (module.equals("collections") && name.equals("OrderedDict"))
                || module.equals("torch.jit._pickle")
                || ((module.equals("__torch__") || module.startsWith("__torch__."))
                        && !module.startsWith("__torch__.torch.classes"));
    }

    static void check(byte[] pickle, String file) {
        int at = 0;
        List<String> strings = new ArrayList<>();
        while (at < pickle.length) {
            int op = pickle[at++] & 0xff;
            String pushed = null;
            switch (op) {
                // no argument
                case '(', '0', '1', '2', 'N', 'Q', 'R', 'a', 'b', 'd', '}', 'e', 'l', ']', 'o', 's', 't', ')', 'u',
                        0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x94, 0x97, 0x98 -> { }
                case '.' -> {
                    return;
                }
                case 'K', 'h', 'q', 0x80 -> at += 1;
                case 'M' -> at += 2;
                case 'J', 'j', 'r' -> at += 4;
                case 'G', 0x95 -> at += 8;
                // a line of text
                case 'F', 'I', 'L', 'P', 'S', 'g', 'p' -> at = lineEnd(pickle, at) + 1;
                case 'V' -> {
                    int end = lineEnd(pickle, at);
                    pushed = new String(pickle, at, end - at, StandardCharsets.UTF_8);
                    at = end + 1;
                }
                // counted bytes or text
                case 'U', 'C', 0x8a -> at += 1 + length(pickle, at, 1);
                case 0x8c -> {
                    int n = length(pickle, at, 1);
                    pushed = new String(pickle, at + 1, n, StandardCharsets.UTF_8);
                    at += 1 + n;
                }
                case 'T', 'B', 0x8b -> at += 4 + length(pickle, at, 4);
                case 'X' -> {
                    int n = length(pickle, at, 4);
                    pushed = new String(pickle, at + 4, n, StandardCharsets.UTF_8);
                    at += 4 + n;
                }
                case 0x8d, 0x8e, 0x96 -> at += 8 + length(pickle, at, 8);
                // globals
                case 'c', 'i' -> {
                    int end = lineEnd(pickle, at);
                    String module = new String(pickle, at, end - at, StandardCharsets.UTF_8);
                    int nameEnd = lineEnd(pickle, end + 1);
                    String name = new String(pickle, end + 1, nameEnd - end - 1, StandardCharsets.UTF_8);
                    require(module, name, file);
                    at = nameEnd + 1;
                }
                case 0x93 -> {
                    if (strings.size() < 2) {
                        throw TorchScriptCheck.refused(file + " names a global that cannot be read without running "
                                + "it");
                    }
                    require(strings.get(strings.size() - 2), strings.get(strings.size() - 1), file);
                }
                default -> throw TorchScriptCheck.refused(file + " holds pickle opcode 0x"
                        + Integer.toHexString(op) + ", which a TorchScript archive does not use");
            }
            if (at > pickle.length) {
                break;
            }
            // STACK_GLOBAL reads the two strings pushed just before it (a memo PUT between them keeps them).
            if (pushed != null) {
                strings.add(pushed);
            } else if (op != 'q' && op != 'r' && op != 'p' && op != 0x94) {
                strings.clear();
            }
        }
        throw TorchScriptCheck.refused(file + " is cut short");
    }

    private static void require(String module, String name, String file) {
        if (!allowed(module, name)) {
            throw TorchScriptCheck.refused(file + " names " + module + "." + name + ", outside the tensor-rebuild "
                    + "functions a model's data needs");
        }
    }

    private static int lineEnd(byte[] pickle, int from) {
        for (int i = from; i < pickle.length; i++) {
            if (pickle[i] == '\n') {
                return i;
            }
        }
        throw TorchScriptCheck.refused("a pickle in it is cut short");
    }

    private static int length(byte[] pickle, int at, int bytes) {
        if (at + bytes > pickle.length) {
            throw TorchScriptCheck.refused("a pickle in it is cut short");
        }
        long n = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            n = (n << 8) | (pickle[at + i] & 0xff);
        }
        if (n < 0 || n > pickle.length - at - bytes) {
            throw TorchScriptCheck.refused("a pickle in it is cut short");
        }
        return (int) n;
    }
}
