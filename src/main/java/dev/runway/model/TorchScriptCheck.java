package dev.runway.model;

import dev.runway.base.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The wall in front of {@code torch::jit::load}: PyTorch runs whatever ops a TorchScript archive's code calls, as
 * native code in our process, with no option to refuse any (aten::from_file reads any file the server can read). So
 * before anything loads an uploaded {@code .pt}, its code ({@code code/**.py}) may only use the model ops listed in
 * {@link #OPS} (plus the archive's own classes and functions), and its pickles ({@code data.pkl},
 * {@code constants.pkl}, …) may only name tensor-rebuild globals. docs/models.md lists what is allowed and why.
 */
final class TorchScriptCheck {

    /**
     * The aten ops a model may call (as {@code torch.X}, {@code ops.aten.X} or a tensor method {@code x.X}): what
     * traced and scripted MLPs, CNNs and Transformer encoders use (derived from exports with PyTorch 1.13 and 2.x),
     * plus the dtype names code refers to. Nothing here reads or writes files, starts processes or loads libraries.
     */
    static final Set<String> OPS = Set.of(
            // arithmetic and reductions
            "add", "add_", "sub", "sub_", "rsub", "mul", "mul_", "div", "div_", "neg", "abs", "exp", "log", "log1p",
            "sqrt", "rsqrt", "pow", "square", "reciprocal", "clamp", "clamp_", "clamp_min", "clamp_max", "minimum",
            "maximum", "max", "min", "sum", "mean", "std", "var", "norm", "prod", "argmax", "argmin", "floor", "ceil",
            "round", "sign", "remainder", "floordiv", "fmod", "where", "erf", "sin", "cos", "cumsum",
            // comparisons and logic (also TorchScript's own operators on values)
            "eq", "ne", "lt", "le", "gt", "ge", "logical_not", "logical_and", "logical_or", "all", "any", "isnan",
            "__is__", "__isnot__", "__not__", "__contains__", "__and__", "__or__", "__getitem__",
            // layers
            "linear", "addmm", "matmul", "mm", "bmm", "baddbmm", "conv1d", "conv2d", "conv3d", "_convolution",
            "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d",
            "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
            "adaptive_max_pool1d", "adaptive_max_pool2d", "batch_norm", "layer_norm", "group_norm", "instance_norm",
            "relu", "relu_", "relu6", "gelu", "silu", "tanh", "sigmoid", "softmax", "log_softmax", "leaky_relu",
            "leaky_relu_", "elu", "selu", "hardtanh", "hardtanh_", "hardswish", "hardsigmoid", "softplus", "mish",
            "dropout", "dropout_", "feature_dropout", "alpha_dropout", "embedding", "masked_fill", "masked_fill_",
            "pad", "constant_pad_nd", "scaled_dot_product_attention", "_native_multi_head_attention",
            "_transformer_encoder_layer_fwd", "_nested_tensor_from_mask", "_nested_tensor_from_mask_left_aligned",
            "to_padded_tensor",
            // shapes and construction of small tensors
            "reshape", "view", "flatten", "unflatten", "cat", "stack", "transpose", "permute", "t", "unsqueeze", "squeeze",
            "expand", "expand_as", "repeat", "contiguous", "slice", "select", "narrow", "chunk", "split", "unbind",
            "index_select", "gather", "size", "dim", "numel", "to", "type_as", "detach", "clone", "ones", "zeros",
            "ones_like", "zeros_like", "full", "arange", "scalar_tensor", "is_floating_point", "device",
            // TorchScript's list, string and control helpers
            "append", "len", "format", "find", "warn", "is_grad_enabled", "is_autocast_enabled",
            // dtypes and layouts the code names
            "float", "float32", "float16", "bfloat16", "double", "float64", "int", "int64", "long", "int32", "bool",
            "contiguous_format", "strided");

    /** TorchScript's primitives ({@code ops.prim.X}) that models use. */
    static final Set<String> PRIM = Set.of("NumToTensor", "RaiseException", "device", "dtype", "is_cuda",
            "is_nested", "requires_grad", "min", "max", "layout", "unchecked_cast", "shape", "data");

    /** Python built-ins TorchScript code calls by bare name. */
    static final Set<String> BUILTINS = Set.of("annotate", "bool", "getattr", "hasattr", "int", "float", "range",
            "str", "len", "isinstance", "unchecked_cast", "uninitialized", "tuple", "list", "dict", "min", "max", "abs",
            "round", "enumerate", "zip", "sum", "print", "return", "if", "elif", "while", "and", "or", "not", "in",
            "assert", "raise", "is");

    private static final Pattern STRINGS_AND_COMMENTS = Pattern.compile(
            "\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'|#[^\\n]*");
    /** A dotted name, with what stands before it (a dot makes it a method or attribute) and whether it is called. */
    private static final Pattern NAME = Pattern.compile(
            "(?:(\\.)\\s*|(?<![\\w.]))([A-Za-z_]\\w*(?:\\s*\\.\\s*[A-Za-z_]\\w*)*)(\\s*\\()?");
    private static final Pattern DEF = Pattern.compile("\\b(?:def|class)\\s+([A-Za-z_]\\w*)");
    private static final Pattern ASSIGNED = Pattern.compile("(?<![\\w.])([A-Za-z_]\\w*)\\s*(?::[^=\\n]*)?=(?!=)");
    private static final Pattern GETATTR_OF_MODULE = Pattern.compile("\\b(?:getattr|hasattr)\\s*\\(\\s*(?:torch|ops)\\b");

    /** Code and pickles read from one archive, at most (a large model's are a few hundred kB; tensors are apart). */
    private static final long CODE_LIMIT = 32L * 1024 * 1024;

    private TorchScriptCheck() {}

    /** Refuses the archive, naming what it found, unless its code and pickles keep to the allowlists. */
    static void check(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Set<String> names = new HashSet<>();
            StringBuilder code = new StringBuilder();
            long read = 0;
            boolean hasData = false;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!names.add(entry.getName())) {
                    throw refused("it holds “" + entry.getName() + "” twice");
                }
                String name = entry.getName();
                if (name.endsWith(".py")) {
                    byte[] bytes = read(zip, entry, CODE_LIMIT - read);
                    read += bytes.length;
                    code.append(new String(bytes, StandardCharsets.UTF_8)).append('\n');
                } else if (name.endsWith(".pkl") || name.endsWith(".debug_pkl")) {
                    hasData |= name.endsWith("/data.pkl") || name.equals("data.pkl");
                    byte[] bytes = read(zip, entry, CODE_LIMIT - read);
                    read += bytes.length;
                    PickleGlobals.check(bytes, name);
                }
            }
            if (!hasData) {
                throw notTorchScript("no data.pkl");
            }
            checkCode(code.toString());
        } catch (java.util.zip.ZipException e) {
            throw notTorchScript("not a TorchScript archive");
        } catch (IOException e) {
            throw notTorchScript(e.getClass().getSimpleName());
        }
    }

    /** Every op the code names must be allowed; calls by bare name must be built-ins or the code's own names. */
    static void checkCode(String source) {
        String code = STRINGS_AND_COMMENTS.matcher(source).replaceAll("\"\"");
        Matcher getattr = GETATTR_OF_MODULE.matcher(code);
        if (getattr.find()) {
            throw refused("its code looks an op up by name (" + getattr.group() + "…)");
        }
        // The archive's own classes and methods (called as x.name(…)), and its local names (called as name(…)).
        Set<String> defined = new HashSet<>();
        Matcher def = DEF.matcher(code);
        while (def.find()) {
            defined.add(def.group(1));
        }
        Set<String> locals = new HashSet<>(defined);
        Matcher assigned = ASSIGNED.matcher(code);
        while (assigned.find()) {
            locals.add(assigned.group(1));
        }
        Set<String> refused = new TreeSet<>();
        Matcher m = NAME.matcher(code);
        while (m.find()) {
            String name = m.group(2).replaceAll("\\s", "");
            boolean member = m.group(1) != null;
            boolean called = m.group(3) != null;
            if (member) {
                // x.view(…): a tensor method is the aten op of that name; else one of the archive's own methods.
                String method = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
                if (called && !OPS.contains(method) && !defined.contains(method)) {
                    refused.add("." + method);
                }
                continue;
            }
            String verdict = verdict(name, called, defined, locals);
            if (verdict != null) {
                refused.add(verdict);
            }
        }
        if (!refused.isEmpty()) {
            throw refused("its code calls " + String.join(", ", List.copyOf(refused).subList(0,
                    Math.min(5, refused.size()))) + (refused.size() > 5 ? " and " + (refused.size() - 5) + " more" : "")
                    + ", outside the ops Runway runs for imported models (docs/models.md lists them)");
        }
    }

    /** Null when the name is allowed, else how to name it in the refusal. */
    private static String verdict(String name, boolean called, Set<String> defined, Set<String> locals) {
        if (name.startsWith("__torch__.")) {
            // The archive's own classes and functions, whose code is checked too; not TorchBind's C++ classes.
            return name.startsWith("__torch__.torch.classes.") ? name : null;
        }
        String path = name.startsWith("torch.ops.") ? name.substring("torch.".length()) : name;
        if (path.equals("torch") || path.equals("ops")) {
            return called || path.equals("ops") ? path : "torch";
        }
        if (path.startsWith("torch.")) {
            String op = path.substring("torch.".length());
            return OPS.contains(op) ? null : "torch." + op;
        }
        if (path.startsWith("ops.")) {
            String[] parts = path.split("\\.");
            if (parts.length < 3) {
                return path;
            }
            boolean fine = ("aten".equals(parts[1]) && OPS.contains(parts[2]))
                    || ("prim".equals(parts[1]) && PRIM.contains(parts[2]));
            return fine && parts.length == 3 ? null : path;
        }
        if (!called) {
            return null;
        }
        if (!path.contains(".")) {
            return BUILTINS.contains(path) || locals.contains(path) ? null : path;
        }
        // self.net.forward(…), x.view(…): a method of the archive's own classes, or the aten op of a tensor method.
        String method = path.substring(path.lastIndexOf('.') + 1);
        return OPS.contains(method) || defined.contains(method) ? null : "." + method;
    }

    private static byte[] read(ZipFile zip, ZipEntry entry, long limit) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit));
            if (in.read() >= 0) {
                throw refused("its code or data files are larger than Runway reads");
            }
            return bytes;
        }
    }

    static BadInputException refused(String why) {
        return new BadInputException("file", "The TorchScript file is refused: " + why);
    }

    private static BadInputException notTorchScript(String why) {
        return new BadInputException("file", "The file is not a readable TorchScript model (" + why + "): export it "
                + "again as the manifest's format says");
    }
}
