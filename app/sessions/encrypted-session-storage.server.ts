// Shopify session storage on Prisma that never writes a token in plaintext: the access token
// and refresh token are AES-256-GCM ciphertext bound to the session id (app/crypto/).
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

import type { Keyring } from "~/crypto/keyring.server";
import type { Db } from "~/db.server";
import type { Session as SessionRow } from "~/generated/prisma/client";

export class EncryptedSessionStorage implements SessionStorage {
  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    const row = this.toRow(session);
    await this.db.session.upsert({ where: { id: session.id }, create: row, update: row });
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = await this.db.session.findUnique({ where: { id } });
    return row ? this.fromRow(row) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    await this.db.session.deleteMany({ where: { id } });
    return true;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    await this.db.session.deleteMany({ where: { id: { in: ids } } });
    return true;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const rows = await this.db.session.findMany({ where: { shop }, take: 25, orderBy: { expires: "desc" } });
    return rows.map((row) => this.fromRow(row));
  }

  private toRow(session: Session) {
    const user = session.onlineAccessInfo?.associated_user;
    return {
      id: session.id,
      shop: session.shop,
      state: session.state,
      isOnline: session.isOnline,
      scope: session.scope ?? null,
      expires: session.expires ?? null,
      accessToken: this.keyring.encrypt(session.accessToken ?? "", `session:${session.id}:access`),
      refreshToken: session.refreshToken
        ? this.keyring.encrypt(session.refreshToken, `session:${session.id}:refresh`)
        : null,
      refreshTokenExpires: session.refreshTokenExpires ?? null,
      userId: user?.id != null ? BigInt(user.id) : null,
      firstName: user?.first_name ?? null,
      lastName: user?.last_name ?? null,
      email: user?.email ?? null,
      accountOwner: user?.account_owner ?? false,
      locale: user?.locale ?? null,
      collaborator: user?.collaborator ?? false,
      emailVerified: user?.email_verified ?? false,
    };
  }

  private fromRow(row: SessionRow): Session {
    const session = new Session({
      id: row.id,
      shop: row.shop,
      state: row.state,
      isOnline: row.isOnline,
      scope: row.scope ?? undefined,
      expires: row.expires ?? undefined,
      accessToken: this.keyring.decrypt(row.accessToken, `session:${row.id}:access`),
      refreshToken: row.refreshToken
        ? this.keyring.decrypt(row.refreshToken, `session:${row.id}:refresh`)
        : undefined,
      refreshTokenExpires: row.refreshTokenExpires ?? undefined,
    });
    if (row.userId != null) {
      session.onlineAccessInfo = {
        expires_in: 0,
        associated_user_scope: row.scope ?? "",
        associated_user: {
          id: Number(row.userId),
          first_name: row.firstName ?? "",
          last_name: row.lastName ?? "",
          email: row.email ?? "",
          account_owner: row.accountOwner,
          locale: row.locale ?? "",
          collaborator: row.collaborator ?? false,
          email_verified: row.emailVerified ?? false,
        },
      };
    }
    return session;
  }
}
