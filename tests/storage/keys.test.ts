import { describe, expect, it } from "vitest";

import { assetPrefix, InvalidStorageKeyError, shopObjectKey, shopPrefix } from "~/storage/index.server";

describe("storage keys", () => {
  it("builds shops/<shop>/<kind>/<asset>/<rendition>.<ext>", () => {
    expect(shopObjectKey("shop_123", "uploads", "clx9a8b7c", "original", "jpg")).toBe("shops/shop_123/uploads/clx9a8b7c/original.jpg");
    expect(shopObjectKey("my-store.myshopify.com", "product-photos", "8a1f-22", "thumb", "webp")).toBe(
      "shops/my-store.myshopify.com/product-photos/8a1f-22/thumb.webp",
    );
    expect(shopPrefix("shop_123")).toBe("shops/shop_123/");
    expect(assetPrefix("shop_123", "generated", "g1")).toBe("shops/shop_123/generated/g1/");
  });

  it.each([
    ["shopId with a slash", () => shopObjectKey("a/b", "uploads", "x", "original", "jpg")],
    ["shopId ..", () => shopObjectKey("..", "uploads", "x", "original", "jpg")],
    ["shopId with ..", () => shopObjectKey("a..b", "uploads", "x", "original", "jpg")],
    ["empty shopId", () => shopObjectKey("", "uploads", "x", "original", "jpg")],
    ["leading dot", () => shopObjectKey(".hidden", "uploads", "x", "original", "jpg")],
    ["a file name as asset id", () => shopObjectKey("s", "uploads", "My Photo (1).JPG", "original", "jpg")],
    ["unicode asset id", () => shopObjectKey("s", "uploads", "ca\u0301fe", "original", "jpg")],
    ["unknown kind", () => shopObjectKey("s", "secrets" as "uploads", "x", "original", "jpg")],
    ["unknown rendition", () => shopObjectKey("s", "uploads", "x", "huge" as "original", "jpg")],
    ["ext with a dot", () => shopObjectKey("s", "uploads", "x", "original", "jpg.html")],
    ["upper-case ext", () => shopObjectKey("s", "uploads", "x", "original", "JPG")],
    ["overlong id", () => shopObjectKey("s", "uploads", "a".repeat(129), "original", "jpg")],
    ["shopPrefix of a path", () => shopPrefix("../x")],
  ])("rejects %s", (_label, build) => {
    expect(build).toThrow(InvalidStorageKeyError);
  });
});
