package dev.runway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wall in front of the engines (no engine loads anything here): typical exported models pass, files that read
 * server files, call custom ops or name foreign pickle globals are refused with the op or global named.
 * scripts/make-hostile-models.py made the files.
 */
class ModelFileScanTest {

    static final Path MODELS = Path.of("src/test/resources/imported-models");

    @Test
    void traced_and_scripted_mlp_cnn_and_transformer_encoder_files_pass_the_torchscript_scan() throws IOException {
        List<Path> files;
        try (Stream<Path> typical = Files.list(MODELS.resolve("typical"))) {
            files = Stream.concat(typical, Stream.of(MODELS.resolve("iris.pt"), MODELS.resolve("linear.pt")))
                    .sorted().toList();
        }
        assertThat(files).hasSize(6);
        for (Path file : files) {
            assertThatCode(() -> TorchScriptCheck.check(file)).as(file.toString()).doesNotThrowAnyException();
        }
    }

    @Test
    void the_test_onnx_files_pass_the_onnx_scan() {
        for (String file : List.of("iris.onnx", "linear.onnx")) {
            assertThatCode(() -> OnnxCheck.check(MODELS.resolve(file))).as(file).doesNotThrowAnyException();
        }
    }

    @Test
    void hostile_files_are_refused_naming_what_they_do() {
        Path hostile = MODELS.resolve("hostile");
        assertThatThrownBy(() -> TorchScriptCheck.check(hostile.resolve("from-file.pt")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("torch.from_file");
        assertThatThrownBy(() -> TorchScriptCheck.check(hostile.resolve("custom-op.pt")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("ops.evil.run");
        assertThatThrownBy(() -> TorchScriptCheck.check(hostile.resolve("pickle-global.pt")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("os.system");
        assertThatThrownBy(() -> OnnxCheck.check(hostile.resolve("external-data.onnx")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("external file");
        assertThatThrownBy(() -> OnnxCheck.check(hostile.resolve("custom-domain.onnx")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("com.evil");
    }

    @Test
    void code_cannot_reach_an_op_through_an_alias_a_lookup_or_a_tensor_method() {
        String head = "class M(Module):\n  def forward(self: __torch__.M, x: Tensor) -> Tensor:\n";
        assertThatThrownBy(() -> TorchScriptCheck.checkCode(head + "    _0 = torch.from_file\n    return _0(\"/etc\")\n"))
                .hasMessageContaining("torch.from_file");
        assertThatThrownBy(() -> TorchScriptCheck.checkCode(head + "    f = getattr(torch, \"from_file\")\n"))
                .hasMessageContaining("looks an op up by name");
        assertThatThrownBy(() -> TorchScriptCheck.checkCode(head + "    t = torch\n    return x\n"))
                .hasMessageContaining("torch");
        assertThatThrownBy(() -> TorchScriptCheck.checkCode(head + "    return x.save(\"/tmp/x\")\n"))
                .hasMessageContaining(".save");
        assertThatThrownBy(() -> TorchScriptCheck.checkCode(head + "    return torch.ops.aten.from_file(\"/x\")\n"))
                .hasMessageContaining("ops.aten.from_file");
        assertThatThrownBy(() -> TorchScriptCheck.checkCode(head
                + "    c = __torch__.torch.classes.evil.Reader(\"/x\")\n    return x\n"))
                .hasMessageContaining("__torch__.torch.classes.evil.Reader");
        // Strings are data: an op's name inside one is no call.
        assertThatCode(() -> TorchScriptCheck.checkCode(head
                + "    ops.prim.RaiseException(\"torch.from_file(x)\")\n    return torch.relu(x.view(-1))\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void an_onnx_file_cut_inside_a_number_is_unreadable_not_an_error() throws IOException {
        Path cut = Files.createTempFile("cut", ".onnx");
        try {
            // A field key (graph, length-delimited) followed by a length whose varint never ends.
            Files.write(cut, new byte[] {0x3a, (byte) 0xff, (byte) 0xff});
            assertThatThrownBy(() -> OnnxCheck.check(cut)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("not a readable ONNX model");
        } finally {
            Files.delete(cut);
        }
    }

    @Test
    void a_stack_global_in_a_pickle_is_read_from_the_strings_before_it() {
        // PROTO 4, SHORT_BINUNICODE "os", MEMOIZE, SHORT_BINUNICODE "system", STACK_GLOBAL, STOP
        byte[] pickle = {(byte) 0x80, 4, (byte) 0x8c, 2, 'o', 's', (byte) 0x94, (byte) 0x8c, 6, 's', 'y', 's', 't',
            'e', 'm', (byte) 0x93, '.'};
        assertThatThrownBy(() -> PickleGlobals.check(pickle, "data.pkl")).hasMessageContaining("os.system");
        byte[] unknown = {(byte) 0x80, 2, (byte) 0xfe, '.'};
        assertThatThrownBy(() -> PickleGlobals.check(unknown, "data.pkl")).hasMessageContaining("opcode 0xfe");
    }
}
