package dev.runway.model;

import dev.runway.base.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Refuses, before ONNX Runtime loads an uploaded file, what would make it read beyond the file or run code that is
 * not its own: tensors whose data lies in external files ({@code data_location: EXTERNAL}, {@code external_data}),
 * which ONNX Runtime reads from paths the file names, and nodes of a domain other than the standard {@code ai.onnx}
 * (written "" or "ai.onnx") and {@code ai.onnx.ml}, which only custom-op libraries or contrib kernels implement.
 * A minimal protobuf reader over the few messages that hold tensors and nodes (onnx.proto3 field numbers).
 */
final class OnnxCheck {

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_64 = 1;
    private static final int WIRE_LENGTH = 2;
    private static final int WIRE_32 = 5;
    private static final int DEPTH_MAX = 64;

    private enum Type { MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, SPARSE_TENSOR, FUNCTION, TRAINING_INFO }

    private OnnxCheck() {}

    static void check(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            message(buffer, Type.MODEL, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            if (e instanceof BadInputException bad) {
                throw bad;
            }
            throw unreadable();
        }
    }

    /** Reads one message of {@code type} (the buffer's remaining bytes), descending into the fields that matter. */
    private static void message(ByteBuffer in, Type type, int depth) {
        if (depth > DEPTH_MAX) {
            throw unreadable();
        }
        while (in.hasRemaining()) {
            long key = varint(in);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            switch (wire) {
                case WIRE_VARINT -> {
                    long value = varint(in);
                    // TensorProto.data_location = 14: 1 is EXTERNAL.
                    if (type == Type.TENSOR && field == 14 && value == 1) {
                        throw refused("a tensor's data lies in an external file; save the model with its weights "
                                + "inside (onnx.save(model, path, save_as_external_data=False))");
                    }
                }
                case WIRE_64 -> skip(in, 8);
                case WIRE_32 -> skip(in, 4);
                case WIRE_LENGTH -> {
                    long length = varint(in);
                    if (length < 0 || length > in.remaining()) {
                        throw unreadable();
                    }
                    ByteBuffer part = in.slice(in.position(), (int) length);
                    in.position(in.position() + (int) length);
                    Type inner = inner(type, field);
                    if (inner != null) {
                        message(part, inner, depth + 1);
                    } else if (type == Type.NODE && field == 7) {
                        String domain = StandardCharsets.UTF_8.decode(part).toString();
                        if (!domain.isEmpty() && !domain.equals("ai.onnx") && !domain.equals("ai.onnx.ml")) {
                            throw refused("it uses ops of the domain “" + domain + "”; Runway runs only the standard "
                                    + "ai.onnx and ai.onnx.ml ops");
                        }
                    } else if (type == Type.TENSOR && field == 13) {
                        throw refused("a tensor's data lies in an external file; save the model with its weights "
                                + "inside (onnx.save(model, path, save_as_external_data=False))");
                    }
                }
                default -> throw unreadable();
            }
        }
    }

    /** The message type a length-delimited field holds, for the fields that can hold nodes or tensors. */
    private static Type inner(Type type, int field) {
        return switch (type) {
            // graph, training_info, functions
            case MODEL -> field == 7 ? Type.GRAPH : field == 20 ? Type.TRAINING_INFO : field == 25 ? Type.FUNCTION
                    : null;
            // node, initializer, sparse_initializer
            case GRAPH -> field == 1 ? Type.NODE : field == 5 ? Type.TENSOR : field == 15 ? Type.SPARSE_TENSOR : null;
            case NODE -> field == 5 ? Type.ATTRIBUTE : null;
            // t, g, tensors, graphs, sparse_tensor, sparse_tensors
            case ATTRIBUTE -> field == 5 || field == 10 ? Type.TENSOR : field == 6 || field == 11 ? Type.GRAPH
                    : field == 22 || field == 23 ? Type.SPARSE_TENSOR : null;
            case SPARSE_TENSOR -> field == 1 || field == 2 ? Type.TENSOR : null;
            case FUNCTION -> field == 7 ? Type.NODE : null;
            // initialization, algorithm
            case TRAINING_INFO -> field == 1 || field == 2 ? Type.GRAPH : null;
            case TENSOR -> null;
        };
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw unreadable();
    }

    private static void skip(ByteBuffer in, int bytes) {
        in.position(in.position() + bytes);
    }

    private static BadInputException refused(String why) {
        return new BadInputException("file", "The ONNX file is refused: " + why);
    }

    private static BadInputException unreadable() {
        return new BadInputException("file", "The file is not a readable ONNX model (its protobuf is malformed): "
                + "export it again as the manifest's format says");
    }
}
