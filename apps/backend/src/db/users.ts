import type { Database } from '@estate/platform';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  display_name: string | null;
  created_at: Date;
}

export type NewUser = {
  email: string;
  passwordHash: string;
  displayName: string | null;
  organizationName: string;
};

export interface Registration {
  user: UserRow;
  organization: { id: string; name: string };
}

/** Unique violation on lower(email): the address is taken. */
export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
}

export class Users {
  constructor(private readonly db: Database) {}

  /** The user, their own organization and their owner membership, all or nothing. */
  async register(user: NewUser): Promise<Registration> {
    try {
      return await this.db.transaction(async (client) => {
        const created = await client.query<UserRow>(
          `INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3)
           RETURNING id, email, password_hash, display_name, created_at`,
          [user.email, user.passwordHash, user.displayName],
        );
        const row = created.rows[0]!;
        const organization = await client.query<{ id: string; name: string }>(
          'INSERT INTO organizations (name) VALUES ($1) RETURNING id, name',
          [user.organizationName],
        );
        const org = organization.rows[0]!;
        await client.query(
          `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'owner')`,
          [org.id, row.id],
        );
        return { user: row, organization: org };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new EmailTakenError('email taken');
      throw error;
    }
  }

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const rows = await this.db.query<UserRow>(
      'SELECT id, email, password_hash, display_name, created_at FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    return rows[0];
  }

  /** Replaces a hash with a stronger one of the same password; only if it is still `previous`. */
  async upgradePasswordHash(id: string, previous: string, next: string): Promise<void> {
    await this.db.query('UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2', [
      id,
      previous,
      next,
    ]);
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const rows = await this.db.query<UserRow>(
      'SELECT id, email, password_hash, display_name, created_at FROM users WHERE id = $1',
      [id],
    );
    return rows[0];
  }
}

export type Role = 'owner' | 'admin' | 'member';

export class Memberships {
  constructor(private readonly db: Database) {}

  async roleOf(userId: string, organizationId: string): Promise<Role | undefined> {
    const rows = await this.db.query<{ role: Role }>(
      'SELECT role FROM memberships WHERE user_id = $1 AND organization_id = $2',
      [userId, organizationId],
    );
    return rows[0]?.role;
  }

  async organizationsOf(userId: string): Promise<Array<{ id: string; name: string; role: Role }>> {
    return this.db.query(
      `SELECT o.id, o.name, m.role FROM memberships m JOIN organizations o ON o.id = m.organization_id
       WHERE m.user_id = $1 ORDER BY o.created_at, o.id`,
      [userId],
    );
  }
}
