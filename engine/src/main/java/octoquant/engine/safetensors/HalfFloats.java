package octoquant.engine.safetensors;

/** Exact widening of IEEE half precision (F16) and bfloat16 (BF16) bit patterns to float. */
final class HalfFloats {
    private HalfFloats() {}

    /** The float with the value of the F16 bit pattern {@code h} (low 16 bits); NaN payloads are kept. */
    static float f16ToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN: the payload moves to the top of float's mantissa
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) return Float.intBitsToFloat(sign); // ±0
            // subnormal: mantissa · 2^-24, exact in float
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** The float with the value of the BF16 bit pattern {@code b} (low 16 bits): float's upper half. */
    static float bf16ToFloat(int b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }
}
