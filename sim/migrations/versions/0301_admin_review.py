"""review wing: per-turn comments, rating overrides, session feedback

Revision ID: 0301_admin_review
Revises: 0300_admin
Create Date: 2026-11-30

Self-contained: three new tables (sim/studio/review/models.py), foreign keys only to
user, practice_session and turn (0001).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0301_admin_review'
down_revision: str | None = '0300_admin'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('session_feedback',
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_feedback_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_feedback_session_id'), ['session_id'], unique=False)

    op.create_table('rating_override',
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('turn_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('scorer_version', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('ai_dimensions', sa.JSON(), nullable=False),
    sa.Column('ai_codes', sa.JSON(), nullable=False),
    sa.Column('dimensions', sa.JSON(), nullable=False),
    sa.Column('codes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['turn_id'], ['turn.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('turn_id', 'reviewer_id', name='uq_override_turn_reviewer')
    )
    with op.batch_alter_table('rating_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_override_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_override_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_override_turn_id'), ['turn_id'], unique=False)

    op.create_table('review_comment',
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('turn_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['turn_id'], ['turn.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comment_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comment_turn_id'), ['turn_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comment_turn_id'))
        batch_op.drop_index(batch_op.f('ix_review_comment_session_id'))
        batch_op.drop_index(batch_op.f('ix_review_comment_author_id'))

    op.drop_table('review_comment')
    with op.batch_alter_table('rating_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_override_turn_id'))
        batch_op.drop_index(batch_op.f('ix_rating_override_session_id'))
        batch_op.drop_index(batch_op.f('ix_rating_override_reviewer_id'))

    op.drop_table('rating_override')
    with op.batch_alter_table('session_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_feedback_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_feedback_author_id'))

    op.drop_table('session_feedback')
